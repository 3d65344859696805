namespace Clearance.Application.Tests;

/// <summary>A hand-over from one thread to another gives every item in order, holds at most its capacity, and lets either side stop the other's wait.</summary>
public sealed class HandOverTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public void TryTake_ProducerOnAnotherThreadHandsOverManyItems_EveryItemInOrderThenFalse()
    {
        var handOver = new HandOver<int>(capacity: 2);
        var producer = new Thread(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                Assert.True(handOver.Add(i));
            }

            handOver.Complete();
        });
        producer.Start();

        var taken = new List<int>();
        while (handOver.TryTake(out var item))
        {
            taken.Add(item);
        }

        Assert.True(producer.Join(Patience));
        Assert.Equal(Enumerable.Range(0, 10_000), taken);
        Assert.False(handOver.TryTake(out _));
    }

    [Fact]
    public void Add_CapacityItemsWaiting_WaitsUntilOneIsTaken()
    {
        var handOver = new HandOver<int>(capacity: 2);
        Assert.True(handOver.Add(1));
        Assert.True(handOver.Add(2));
        var third = new Thread(() => handOver.Add(3));
        third.Start();

        Assert.False(third.Join(TimeSpan.FromMilliseconds(200)), "a third item was handed over while two waited");
        Assert.True(handOver.TryTake(out var first));
        Assert.True(third.Join(Patience));
        handOver.Complete();
        Assert.Equal(1, first);
        Assert.True(handOver.TryTake(out var second));
        Assert.True(handOver.TryTake(out var last));
        Assert.Equal([2, 3], new[] { second, last });
        Assert.False(handOver.TryTake(out _));
    }

    [Fact]
    public void TryTake_NothingHandedOver_WaitsUntilComplete()
    {
        var handOver = new HandOver<string>(capacity: 4);
        var answer = (bool?)null;
        var consumer = new Thread(() => answer = handOver.TryTake(out _));
        consumer.Start();

        Assert.False(consumer.Join(TimeSpan.FromMilliseconds(200)), "TryTake answered with nothing handed over and the producer not complete");
        handOver.Complete();
        Assert.True(consumer.Join(Patience));
        Assert.False(answer);
    }

    [Fact]
    public void Stop_ProducerWaitingForRoom_AddAnswersFalseThenAndAfter()
    {
        var handOver = new HandOver<int>(capacity: 1);
        Assert.True(handOver.Add(1));
        var answer = (bool?)null;
        var producer = new Thread(() => answer = handOver.Add(2));
        producer.Start();
        Assert.False(producer.Join(TimeSpan.FromMilliseconds(200)), "a second item was handed over while one waited");

        handOver.Stop();

        Assert.True(producer.Join(Patience));
        Assert.False(answer);
        Assert.False(handOver.Add(3));
    }
}
