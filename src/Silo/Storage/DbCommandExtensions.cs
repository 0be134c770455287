using System.Data.Common;

namespace Lethe.Silo.Storage;

/// <summary>Parameters by name, the same way for both providers (<c>@name</c> in the SQL).</summary>
internal static class DbCommandExtensions
{
    public static DbCommand With(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }
}
