namespace Draw.Dicom.Network.Association;

/// <summary>SCU/SCP role selection for one SOP class (PS3.7 D.3.3.4).</summary>
public sealed record DicomRoleSelection(string SopClassUid, bool ScuRole, bool ScpRole);

/// <summary>Asynchronous operations window (PS3.7 D.3.3.3): 1/1 means no asynchronous operations.</summary>
public sealed record DicomAsyncOperationsWindow(ushort MaxInvoked, ushort MaxPerformed);

/// <summary>The kind of user identity proposed (PS3.7 D.3.3.7).</summary>
public enum DicomUserIdentityType : byte
{
    Username = 1,
    UsernameAndPasscode = 2,
    Kerberos = 3,
    Saml = 4,
    Jwt = 5,
}

/// <summary>
/// A user identity sub-item as proposed by the requestor. The fields are raw bytes because Kerberos and SAML
/// identities are binary; <see cref="PrimaryFieldText"/> decodes a username. Never log the passcode.
/// </summary>
public sealed record DicomUserIdentity(DicomUserIdentityType Type, bool PositiveResponseRequested, byte[] PrimaryField, byte[] SecondaryField)
{
    public string PrimaryFieldText => System.Text.Encoding.UTF8.GetString(PrimaryField);
}

/// <summary>The user information item of A-ASSOCIATE-RQ/AC (PS3.8 9.3.2.3 and PS3.7 Annex D.3.3).</summary>
public sealed class DicomUserInformation
{
    /// <summary>The largest P-DATA-TF PDU (its length field) the sender of this item can receive; 0 means no limit.</summary>
    public uint MaximumLength { get; set; }

    public string? ImplementationClassUid { get; set; }

    public string? ImplementationVersionName { get; set; }

    public DicomAsyncOperationsWindow? AsyncOperationsWindow { get; set; }

    public IList<DicomRoleSelection> RoleSelections { get; } = [];

    /// <summary>Present in a request when the requestor identified its user.</summary>
    public DicomUserIdentity? UserIdentity { get; set; }

    /// <summary>The acceptor's user identity response (A-ASSOCIATE-AC); empty for username identities.</summary>
    public byte[]? UserIdentityServerResponse { get; set; }
}
