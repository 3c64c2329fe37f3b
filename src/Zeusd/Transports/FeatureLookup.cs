using Microsoft.AspNetCore.Http.Features;

namespace Zeusd.Transports;

/// <summary>
/// A request's features by their type key, for the lookups made on every request (the caller, the connection's
/// identity and process). <see cref="IFeatureCollection.Get{TFeature}"/> is a generic virtual method, which NativeAOT
/// resolves through a runtime lookup on every call: perf put it at a third of the policy gate's cost. The indexer is an
/// ordinary interface call comparing type references.
/// </summary>
public static class FeatureLookup
{
    public static T? Find<T>(this IFeatureCollection features) where T : class => features[typeof(T)] as T;

    public static void Put<T>(this IFeatureCollection features, T feature) where T : class => features[typeof(T)] = feature;
}
