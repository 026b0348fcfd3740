using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AvLedger.Server.Shared;

/// <summary>What one parameter of an operation means, written beside the route that takes it
/// (on a group when every route of the group shares it).</summary>
public sealed record ParameterText(string Name, string Text, ParameterLocation? In = null);

public static class OperationTextExtensions
{
    /// <summary>Describes a route or query parameter the handler binds by name.</summary>
    public static TBuilder WithParameter<TBuilder>(this TBuilder builder, string name, string text) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ParameterText(name, text));

    /// <summary>A request header the handler reads itself (tus): the document lists it as a header parameter.</summary>
    public static TBuilder WithHeader<TBuilder>(this TBuilder builder, string name, string text) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ParameterText(name, text, ParameterLocation.Header));
}

/// <summary>Puts each <see cref="ParameterText"/> into the OpenAPI document, and gives the success
/// responses the generator leaves with an English reason phrase their Chinese words.</summary>
public sealed class OperationTexts : IOpenApiOperationTransformer
{
    static readonly Dictionary<string, string> Statuses = new(StringComparer.Ordinal)
    {
        ["200"] = "成功 / OK",
        ["201"] = "已创建 / Created",
        ["202"] = "已受理，后台处理 / Accepted",
        ["204"] = "成功，无内容 / No Content",
        ["302"] = "转向 / Found",
        ["405"] = "不允许 / Method Not Allowed",
    };

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var texts = context.Description.ActionDescriptor.EndpointMetadata.OfType<ParameterText>().ToList();
        operation.Parameters ??= [];
        foreach (var header in texts.Where(t => t.In == ParameterLocation.Header))
            if (!operation.Parameters.Any(p => string.Equals(p.Name, header.Name, StringComparison.OrdinalIgnoreCase)))
                operation.Parameters.Add(new OpenApiParameter { Name = header.Name, In = ParameterLocation.Header, Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
        foreach (var parameter in operation.Parameters)
        {
            // The last word wins: an endpoint's own text over its group's.
            if (parameter is IOpenApiDescribedElement described && string.IsNullOrEmpty(parameter.Description)
                && texts.LastOrDefault(t => string.Equals(t.Name, parameter.Name, StringComparison.OrdinalIgnoreCase)) is { } text)
                described.Description = text.Text;
        }
        foreach (var (status, response) in operation.Responses ?? [])
            if (response is IOpenApiDescribedElement described && Statuses.TryGetValue(status, out var words)
                && (string.IsNullOrEmpty(response.Description) || words.EndsWith(" / " + response.Description, StringComparison.Ordinal)))
                described.Description = words;
        return Task.CompletedTask;
    }
}
