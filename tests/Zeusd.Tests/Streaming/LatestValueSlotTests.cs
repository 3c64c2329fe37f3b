using Zeusd.Streaming;

namespace Zeusd.Tests.Streaming;

public sealed class LatestValueSlotTests
{
    private static StreamSample Sample(LatestValueSlot slot, uint powerMw) =>
        SseEventEncoder.Gpu(slot.NextSequence(), 0, 1_000, 0, powerMw);

    [Fact]
    public void Publish_TwoSubscribers_WakesBothAndKeepsOnlyTheNewest()
    {
        var slot = new LatestValueSlot();
        var (a, b) = (new AsyncSignal(), new AsyncSignal());
        slot.Add(a);
        slot.Add(b);

        slot.Publish(Sample(slot, 1));
        var newest = Sample(slot, 2);
        slot.Publish(newest);

        Assert.True(a.WaitAsync().IsCompleted);
        Assert.True(b.WaitAsync().IsCompleted);
        Assert.Same(newest, slot.Latest);
        Assert.Equal(2, newest.Sequence);
    }

    [Fact]
    public void Publish_RemovedSubscriber_IsNotWoken()
    {
        var slot = new LatestValueSlot();
        var (kept, removed) = (new AsyncSignal(), new AsyncSignal());
        slot.Add(kept);
        slot.Add(removed);
        slot.Remove(removed);

        slot.Publish(Sample(slot, 1));

        Assert.Equal(1, slot.SubscriberCount);
        Assert.True(kept.WaitAsync().IsCompleted);
        Assert.False(removed.WaitAsync().IsCompleted);
    }

    [Fact]
    public void Clear_AfterPublish_LeavesNoSampleButKeepsSequenceGoing()
    {
        var slot = new LatestValueSlot();
        slot.Publish(Sample(slot, 1));

        slot.Clear();

        Assert.Null(slot.Latest);
        Assert.Equal(2, Sample(slot, 1).Sequence);
    }

    [Fact]
    public void TakeFreshSampleRequest_RequestedOnce_IsTakenOnce()
    {
        var slot = new LatestValueSlot();
        Assert.False(slot.TakeFreshSampleRequest());

        slot.RequestFreshSample();
        slot.RequestFreshSample();

        Assert.True(slot.TakeFreshSampleRequest());
        Assert.False(slot.TakeFreshSampleRequest());
    }
}
