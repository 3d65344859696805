using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Clearance.Server;

/// <summary>
/// The service's own metrics and traces, exported by OpenTelemetry when an endpoint is configured (and readable by
/// <c>dotnet-counters</c> either way): determinations (a rate is determinations/s), screening latency, holds by reason.
/// </summary>
internal sealed class Telemetry : IDisposable
{
    /// <summary>The meter's and the activity source's name.</summary>
    public const string Name = "Clearance.Server";

    private readonly Meter _meter = new(Name);

    public Telemetry()
    {
        Determinations = _meter.CreateCounter<long>("clearance.determinations", "{determination}", "Shipments determined (checked or submitted), by verdict.");
        ScreeningDuration = _meter.CreateHistogram<double>("clearance.screening.duration", "ms", "Time to screen one party against the lists.");
        Holds = _meter.CreateCounter<long>("clearance.shipments.held", "{line}", "Shipment lines held, by reason code.");
    }

    /// <summary>The traces' source.</summary>
    public static ActivitySource Source { get; } = new(Name);

    /// <summary>Shipments determined, tagged with their verdict.</summary>
    public Counter<long> Determinations { get; }

    /// <summary>Screening time per party in milliseconds.</summary>
    public Histogram<double> ScreeningDuration { get; }

    /// <summary>Held lines, tagged with each open reason code.</summary>
    public Counter<long> Holds { get; }

    public void Dispose() => _meter.Dispose();
}
