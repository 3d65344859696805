using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Clearance.Server;

/// <summary>Endpoint metadata: this endpoint takes batches (bulk checks, list files), up to <see cref="ServerSettings.MaxBatchBytes"/>.</summary>
internal sealed class BatchBody;

/// <summary>A request body went past its endpoint's limit while it was read.</summary>
internal sealed class BodyTooLargeException(long limit) : Exception($"the request body is larger than the {limit:N0} bytes this endpoint takes")
{
    /// <summary>The limit, in bytes.</summary>
    public long Limit { get; } = limit;
}

/// <summary>
/// Request size limits: <see cref="ServerSettings.MaxBodyBytes"/> for every endpoint, <see cref="ServerSettings.MaxBatchBytes"/>
/// for those marked <see cref="BatchBody"/>. A declared length over the limit is refused before anything is read; a body
/// that grows past it while read (chunked) stops with <see cref="BodyTooLargeException"/>, a 413 too.
/// </summary>
internal sealed class BodyLimits(RequestDelegate next, ServerSettings settings)
{
    public Task InvokeAsync(HttpContext context)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<BatchBody>() is null ? settings.MaxBodyBytes : settings.MaxBatchBytes;
        if (context.Request.ContentLength > limit)
            return TooLarge(context, limit);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = limit;
        context.Request.Body = new LimitedStream(context.Request.Body, limit);
        return next(context);
    }

    /// <summary>Writes the 413 problem.</summary>
    public static Task TooLarge(HttpContext context, long limit)
    {
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Detail = $"the request body is larger than the {limit:N0} bytes this endpoint takes",
                Extensions = { ["code"] = "body-too-large" },
            },
        }).AsTask();
    }

    /// <summary>The request body, ending with <see cref="BodyTooLargeException"/> past the limit.</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            return _read > limit ? throw new BodyTooLargeException(limit) : read;
        }
    }
}
