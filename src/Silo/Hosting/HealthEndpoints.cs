namespace Lethe.Silo.Hosting;

/// <summary><c>/healthz</c> (the process answers) and <c>/readyz</c> (the silo has joined its cluster and its store answers).</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapLetheHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Text("ok")).ExcludeFromDescription();
        app.MapGet("/readyz", async (IGrainFactory grains, CancellationToken cancellationToken) =>
        {
            try
            {
                await grains.GetGrain<Lethe.Grains.IModelRegistryGrain>(0).List().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
                return Results.Text("ready");
            }
            catch (Exception e) when (e is TimeoutException or OrleansException or System.Data.Common.DbException)
            {
                return Results.Problem(title: "Not ready", detail: e.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }).ExcludeFromDescription();
        return app;
    }
}
