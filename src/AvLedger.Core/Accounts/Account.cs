namespace AvLedger.Core.Accounts;

/// <summary>What an account may do; an account holds several (Art. 17: access follows role and unit).</summary>
[Flags]
public enum Role
{
    None = 0,
    Officer = 1,
    DepartmentHead = 2,
    DeviceCustodian = 4,
    Inspector = 8,
    LegalOfficer = 16,
    Auditor = 32,
    SystemAdministrator = 64,
}

public static class Roles
{
    public static readonly Role All = Enum.GetValues<Role>().Aggregate(Role.None, (a, r) => a | r);

    /// <summary>Roles that see their unit's subtree: how a superior department sees its subordinates'.</summary>
    public const Role SubtreeRoles = Role.DepartmentHead | Role.Inspector | Role.LegalOfficer;

    public static IEnumerable<Role> Each(Role roles) => Enum.GetValues<Role>().Where(r => r != Role.None && roles.HasFlag(r));
}

/// <summary>A person who signs in. The badge (执法证号) is what recorders and uploads name.</summary>
public sealed class Account
{
    /// <summary>A collection station signs in with its upload-only key under this prefix and its code.</summary>
    public const string StationPrefix = "station:";

    public required string Id { get; init; }
    public required string Username { get; init; }
    public required string PasswordHash { get; set; }
    public required Role Roles { get; set; }
    public required string DisplayName { get; set; }
    public string? Badge { get; set; }
    public string? UnitId { get; set; }
    /// <summary>The unit's place in the tree ("/root/…/unit/"), copied from the unit so scope is one prefix test.</summary>
    public string? UnitPath { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public bool Disabled { get; set; }
    /// <summary>Art. 18: only explicitly cleared people see state-secret records, whatever their scope.</summary>
    public bool ClearedForStateSecrets { get; set; }
    /// <summary>Set when an administrator chose the password: the person must replace it at first sign-in.</summary>
    public bool MustChangePassword { get; set; }
    /// <summary>The TOTP second factor's secret, sealed with a key derived from the master key.</summary>
    public string? TotpSecret { get; set; }
    /// <summary>A secret being enrolled, until the person proves their authenticator shows its codes.</summary>
    public string? TotpPending { get; set; }
    public bool TotpEnabled => TotpSecret is not null;
    /// <summary>The last TOTP time step accepted, so each code signs in or confirms only once.</summary>
    public long? LastTotpStep { get; set; }
    /// <summary>Every token, refresh token and cookie carries the stamp it was issued under and is
    /// refused once it differs: changing it ends every sign-in of the account at once.</summary>
    public string SecurityStamp { get; set; } = NewStamp();

    /// <summary>Ends every existing sign-in (password change or reset, role, unit or clearance
    /// change, second-factor change, disablement, logout).</summary>
    public void EndSignIns() => SecurityStamp = NewStamp();

    public static string NewStamp() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    public bool Has(Role any) => (Roles & any) != 0;
}
