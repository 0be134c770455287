using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Lethe.Silo.Api;

/// <summary>The OpenAPI document at <c>/openapi/v1.json</c>: its title, and the bearer key on the write endpoints.</summary>
internal static class OpenApiDocumentSetup
{
    private const string Scheme = "bearer";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Lethe HTTP API";
            document.Info.Description = "Models that forget a user's data on request. Errors are RFC 7807 problem details; a field at fault is named in `field`.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = Scheme,
                Description = "An API key (Lethe:Api:Keys or LETHE_API_KEYS); needed by write endpoints when keys are configured.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<WriteKeyRequired>().Any())
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, context.Document)] = [] });
            }

            return Task.CompletedTask;
        });
    }
}
