using Draw.Benchmarks;

return await BenchmarkProgram.MainAsync(args);
