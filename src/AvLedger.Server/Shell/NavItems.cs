using System.Security.Claims;
using AvLedger.Core.Accounts;

namespace AvLedger.Server.Shell;

/// <summary>The navigation: each feature adds its page here with the roles that may use it,
/// so the menu shows only pages that work for the signed-in user.</summary>
public static class NavItems
{
    public sealed record Item(string Href, string TextKey, Role Roles = Role.None);

    /// <summary>Where a signed-in person lands: what waits for them and what their roles start with.</summary>
    public const string Home = "/workbench";

    static readonly Item[] All =
    [
        new(Home, "Nav.Workbench"),
        new("/records", "Nav.Records"),
        new("/upload", "Nav.Upload", Role.Officer | Role.DeviceCustodian),
        new("/inbox", "Nav.Inbox", Role.Officer),
        new("/sessions", "Nav.Sessions", Role.Officer | Role.DepartmentHead | Role.Inspector | Role.LegalOfficer | Role.Auditor),
        new("/no-recording", "Nav.NoRecording", Role.Officer | Role.DepartmentHead | Role.Inspector | Role.Auditor),
        new("/compliance/late-saves", "Nav.LateSaves", Role.DepartmentHead | Role.Inspector | Role.Auditor),
        new("/compliance/recorded-times", "Nav.RecordedTimes", Role.DepartmentHead | Role.Inspector | Role.Auditor),
        new("/requests", "Nav.Requests", Role.Officer | Role.DepartmentHead | Role.Inspector | Role.LegalOfficer | Role.DeviceCustodian | Role.Auditor),
        new("/approvals", "Nav.Approvals", Role.DepartmentHead),
        new("/admin/users", "Nav.Users", Role.SystemAdministrator),
        new("/role-grants", "Nav.RoleGrants", Role.DepartmentHead),
        new("/admin/units", "Nav.Units", Role.SystemAdministrator),
        new("/cases", "Nav.Cases", Role.Officer | Role.DepartmentHead | Role.Inspector | Role.LegalOfficer | Role.Auditor),
        new("/retention", "Nav.Retention", Role.SystemAdministrator | Role.DepartmentHead | Role.LegalOfficer | Role.Inspector | Role.Auditor),
        new("/audit", "Nav.Audit", Role.Auditor),
        new("/exports", "Nav.Exports", Role.Officer | Role.DepartmentHead | Role.Inspector | Role.LegalOfficer | Role.DeviceCustodian | Role.Auditor),
    ];

    public static IEnumerable<Item> For(ClaimsPrincipal user) =>
        All.Where(i => i.Roles == Role.None || Roles.Each(i.Roles).Any(r => user.IsInRole(r.ToString())));
}
