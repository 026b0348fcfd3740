using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AvLedger.Server.Shared;

/// <summary>Every refusal of the API is RFC 9457 problem details (a stable <c>code</c>, title and detail in
/// Chinese, <c>titleEn</c> and <c>detailEn</c>): the document says so once for every operation, since
/// a typed <c>ProblemHttpResult</c> carries no response metadata of its own.</summary>
public sealed class ProblemResponses : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) != true) return;
        var schema = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken);
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        foreach (var member in new[] { "code", "titleEn", "detailEn" }) schema.Properties[member] = new OpenApiSchema { Type = JsonSchemaType.String };
        operation.Responses ??= [];
        foreach (var (status, description) in new[] { ("4XX", "拒绝：问题详情（RFC 9457：code、title、detail、titleEn、detailEn）/ Refused: problem details"), ("5XX", "服务器故障：问题详情 / Failed: problem details") })
            operation.Responses.TryAdd(status, new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = schema } },
            });
    }
}
