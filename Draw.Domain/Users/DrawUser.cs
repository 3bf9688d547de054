using Microsoft.AspNetCore.Identity;

namespace Draw.Domain.Users;

/// <summary>A dashboard user (ASP.NET Core Identity, same database as everything else).</summary>
public sealed class DrawUser : IdentityUser
{
    public string? DisplayName { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>A disabled user cannot log in; the account and its history are kept.</summary>
    public bool Disabled { get; set; }
}
