using Zeusd.Cli;

return await ZeusdCommandLine.RunAsync(args);
