namespace Draw.Domain.Users;

/// <summary>
/// The three roles. A Viewer sees everything and changes nothing; a Physicist sends, retries,
/// cancels and picks templates; an Admin also edits configuration and manages users.
/// </summary>
public static class DrawRoles
{
    public const string Admin = "Admin";
    public const string Physicist = "Physicist";
    public const string Viewer = "Viewer";

    /// <summary>For [Authorize(Roles = ...)]: whoever may send and retry.</summary>
    public const string PhysicistOrAdmin = Physicist + "," + Admin;

    public static IReadOnlyList<string> All { get; } = [Admin, Physicist, Viewer];

    /// <summary>The role claim given to worker processes on the live hub (not a user role).</summary>
    public const string Worker = "Worker";
}
