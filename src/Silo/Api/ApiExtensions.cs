namespace Lethe.Silo.Api;

/// <summary>The HTTP API v1: its services and its routes.</summary>
internal static class ApiExtensions
{
    public static IServiceCollection AddLetheApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemMapping>();
        services.AddOpenApi(OpenApiDocumentSetup.Configure);
        services.AddSingleton(new ApiKeys(configuration));
        return services;
    }

    public static WebApplication MapLetheApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi();
        var v1 = app.MapGroup("/v1");
        ModelEndpoints.Map(v1);
        DeletionEndpoints.Map(v1);
        AuditEndpoints.Map(v1);
        return app;
    }
}
