using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http.Features;

namespace Zeusd.Transports;

/// <summary>
/// A request's features by their type key, for the lookups made on every request (the caller, the connection's
/// identity and process). <see cref="IFeatureCollection.Get{TFeature}"/> is a generic virtual method, which NativeAOT
/// resolves through a runtime lookup on every call: perf put it at a third of the policy gate's cost. The indexer is an
/// ordinary interface call comparing type references. Inlined, so the caller's exact type makes <c>typeof(T)</c> and the
/// cast constants; as a shared generic method NativeAOT looks both up at run time.
/// </summary>
public static class FeatureLookup
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T? Find<T>(this IFeatureCollection features) where T : class => features[typeof(T)] as T;
}
