using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Scalar.AspNetCore;

namespace Clearance.Server;

/// <summary>
/// <c>clearance serve</c>: the HTTP API (under <c>/api/v1</c>, one route group per feature), its OpenAPI document
/// (<c>/openapi/v1.json</c>) and reference page (<c>/scalar</c>), health endpoints, API keys with roles, rate limits,
/// size limits and security headers. Every endpoint answers with the Application's JSON, the same as the CLI's.
/// </summary>
public static partial class ClearanceServer
{
    /// <summary>
    /// The service, configured and ready to run. <paramref name="settings"/> come from the command line; configuration
    /// (section <c>Clearance</c>, environment variables <c>Clearance__Name</c>) fills what they leave at their defaults.
    /// </summary>
    public static WebApplication Build(ServerSettings settings, string[]? args = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        // Always Production: the developer exception page would show stack traces, which no response may carry.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args ?? [], EnvironmentName = Environments.Production });
        var given = settings;
        settings = FromConfiguration(settings, builder.Configuration);
        // Checked before the database is opened: a wrong address is one error line, with nothing started.
        if (ListenAddresses.Problem(settings.Urls) is { } problem)
            throw new ServerSettingException((settings.Urls == given.Urls ? "--urls: " : "Clearance:Urls (configuration): ") + problem);
        builder.WebHost.UseUrls([.. ListenAddresses.Split(settings.Urls)]);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = settings.MaxBatchBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            // A client that sends its body slower than this is cut off rather than holding a connection for ever.
            kestrel.Limits.MinRequestBodyDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(240, TimeSpan.FromSeconds(5));
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
        });
        IHostApplicationLifetime? lifetime = null;
        ConfigureLogging(builder.Logging, settings, hasStarted: () => lifetime?.ApplicationStarted.IsCancellationRequested == true);

        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton<Backend>();
        services.AddSingleton<KeyCache>();
        services.AddSingleton<Telemetry>();
        services.AddHostedService<ListWatcher>();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // Only what the endpoint said: never an exception's text, stack or SQL.
            context.ProblemDetails.Extensions.Remove("exception");
            context.ProblemDetails.Instance = context.HttpContext.Request.Path;
            if (context.Exception is BodyTooLargeException or BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                context.ProblemDetails.Detail = context.Exception is BodyTooLargeException tooLarge ? tooLarge.Message : "the request body is larger than this endpoint takes";
                context.ProblemDetails.Extensions["code"] = "body-too-large";
            }

            if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType)
                context.ProblemDetails.Detail ??= "send Content-Type: application/json (or application/x-ndjson where JSON Lines are taken)";
            if (context.ProblemDetails.Status == StatusCodes.Status405MethodNotAllowed)
                context.ProblemDetails.Detail ??= $"{context.HttpContext.Request.Method} is not a method of {context.HttpContext.Request.Path}";
        });
        services.AddOpenApi();
        var authentication = services.AddAuthentication(ApiKeyHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyHandler.SchemeName, null);
        PageEndpoints.AddSession(authentication);
        services.AddDataProtection().SetApplicationName("clearance");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(provider => new ConfigureOptions<KeyManagementOptions>(
            options => options.XmlRepository = new SessionKeyRepository(provider.GetRequiredService<Backend>())));
        services.AddRazorComponents();
        services.AddAntiforgery(options =>
        {
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
        });
        Roles.AddPolicies(services.AddAuthorizationBuilder());
        services.AddRateLimiter(options => ConfigureRateLimits(options, settings));
        ConfigureTelemetry(services, settings);

        var app = builder.Build();
        lifetime = app.Lifetime;
        // A failure of the client's (a body too large or cut off) is answered, not logged as an error of the server's.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = StatusOf,
            SuppressDiagnosticsCallback = context => context.Exception is BodyTooLargeException or BadHttpRequestException or OperationCanceledException,
        });
        app.UseStatusCodePages();
        app.UseMiddleware<SecurityHeaders>();
        app.UseRouting();
        app.UseMiddleware<BodyLimits>();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference().AllowAnonymous();
        HealthEndpoints.Map(app);
        var api = app.MapGroup("/api/v1");
        CheckEndpoints.Map(api);
        ScreenEndpoints.Map(api);
        RulesEndpoints.Map(api);
        ListsEndpoints.Map(api);
        LicensesEndpoints.Map(api);
        ShipmentsEndpoints.Map(api);
        ScreeningDecisionsEndpoints.Map(api);
        ReportsEndpoints.Map(api);
        ImpactEndpoints.Map(api);
        AuditEndpoints.Map(api);
        KeysEndpoints.Map(api);
        PageEndpoints.Map(app);
        WorkflowForms.Map(app);
        ListForms.Map(app);
        app.MapRazorComponents<Pages.App>();

        // Open the database and load the content now: a wrong --db fails at start, not at the first request.
        app.Services.GetRequiredService<Backend>();
        return app;
    }

    /// <summary>The status of a failed request: 413 for a body past its limit, the status Kestrel chose for a bad request, else 500.</summary>
    private static int StatusOf(Exception exception) => exception switch
    {
        BodyTooLargeException => StatusCodes.Status413PayloadTooLarge,
        BadHttpRequestException bad => bad.StatusCode,
        OperationCanceledException => 499,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static ServerSettings FromConfiguration(ServerSettings settings, IConfiguration configuration)
    {
        var section = configuration.GetSection("Clearance");
        var defaults = new ServerSettings();
        T Pick<T>(T given, T fallback, string key) => !EqualityComparer<T>.Default.Equals(given, fallback) || section[key] is null ? given : section.GetValue<T>(key)!;
        return settings with
        {
            Database = settings.Database ?? section["Database"],
            Urls = Pick(settings.Urls, defaults.Urls, "Urls"),
            MaxBodyBytes = Pick(settings.MaxBodyBytes, defaults.MaxBodyBytes, "MaxBodyBytes"),
            MaxBatchBytes = Pick(settings.MaxBatchBytes, defaults.MaxBatchBytes, "MaxBatchBytes"),
            PermitsPerSecond = Pick(settings.PermitsPerSecond, defaults.PermitsPerSecond, "PermitsPerSecond"),
            JsonLogs = settings.JsonLogs || section.GetValue<bool>("JsonLogs"),
            OtlpEndpoint = settings.OtlpEndpoint ?? section["OtlpEndpoint"] ?? configuration["OTEL_EXPORTER_OTLP_ENDPOINT"],
        };
    }

    private static void ConfigureLogging(ILoggingBuilder logging, ServerSettings settings, Func<bool> hasStarted)
    {
        logging.ClearProviders();
        if (settings.JsonLogs)
            logging.AddJsonConsole(o => o.IncludeScopes = true);
        else
            logging.AddSimpleConsole(o => o.SingleLine = true);
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // `clearance serve` prints the addresses it listens on itself, in one line a script can wait for.
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        // Every refused key would otherwise be an information line: a flood of made-up keys must not flood the log.
        logging.AddFilter(typeof(ApiKeyHandler).FullName, LogLevel.Warning);
        // The session keys are kept in the database unencrypted at rest (as the database keeps everything else);
        // data protection's warning about that would be repeated at every start.
        logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        // A failure to start (an address in use) is RunAsync's one error line, or the front end's for an unexpected one
        // (with the stack trace under --verbose); the host's own report of it, "Hosting failed to start" with the stack
        // trace, would say it again. Once started, what the host reports (a background service that failed) is logged.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", level => level >= LogLevel.Information && hasStarted());
    }

    /// <summary>A token bucket per key (per client address before authentication); a refusal is a 429 ProblemDetails with Retry-After.</summary>
    private static void ConfigureRateLimits(RateLimiterOptions options, ServerSettings settings)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            RateLimitPartition.GetTokenBucketLimiter(
                context.User.Identity?.Name is { } name ? "key:" + name : "ip:" + context.Connection.RemoteIpAddress,
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = settings.PermitsPerSecond,
                    TokensPerPeriod = settings.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        options.OnRejected = (context, _) =>
        {
            context.HttpContext.Response.Headers.RetryAfter = "1";
            return context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context.HttpContext,
                ProblemDetails =
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Detail = $"more than {settings.PermitsPerSecond} requests per second with this key: retry after a second",
                    Extensions = { ["code"] = "rate-limited" },
                },
            });
        };
    }

    /// <summary>Metrics and traces: the service's own and ASP.NET Core's, exported over OTLP only when an endpoint is configured.</summary>
    private static void ConfigureTelemetry(IServiceCollection services, ServerSettings settings)
    {
        if (settings.OtlpEndpoint is not { } endpoint)
            return;
        services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddMeter(Telemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter(o => o.Endpoint = new Uri(endpoint)))
            .WithTracing(tracing => tracing
                .AddSource(Telemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter(o => o.Endpoint = new Uri(endpoint)));
    }
}
