using AvLedger.Server.Tests.Access;

namespace AvLedger.Server.Tests.Exports;

/// <summary>For the authorization matrix: one ready evidence package of record X, exported by Legal Officer A, made once per world.</summary>
public static class MatrixExports
{
    static readonly MadeOncePerWorld Package = new(Persona.LegalOfficerA, _ => "/api/v1/exports", w => new { recordIds = new[] { w.RecordId }, purpose = "矩阵" },
        "/api/v1/exports", "ready", "failed");

    public static Task<string> OfRecordXAsync(MatrixWorld w) => Package.IdAsync(w);
}
