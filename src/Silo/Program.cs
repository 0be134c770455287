using Lethe.Silo.Commands;

return await LetheCommandLine.Build().Parse(args).InvokeAsync();
