using System.Runtime.CompilerServices;

// The benchmarks measure the real datastore scanner (internal to the worker) rather than a copy of its work.
[assembly: InternalsVisibleTo("Draw.Benchmarks")]
