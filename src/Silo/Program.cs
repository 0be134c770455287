using Lethe.Silo.Commands;

return await LetheCommandLine.RunAsync(args);
