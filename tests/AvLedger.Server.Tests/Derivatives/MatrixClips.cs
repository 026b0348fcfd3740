using AvLedger.Server.Tests.Access;

namespace AvLedger.Server.Tests.Derivatives;

/// <summary>For the authorization matrix: one ready clip of record X, cut by its officer, made once per world.</summary>
public static class MatrixClips
{
    static readonly MadeOncePerWorld Clip = new(Persona.OfficerA, w => $"/api/v1/records/{w.RecordId}/clips", _ => new { start = 0, end = 1 },
        "/api/v1/derivatives", "ready");

    public static Task<string> OfRecordXAsync(MatrixWorld w) => Clip.IdAsync(w);
}
