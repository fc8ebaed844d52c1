// Draw a digit; the compiled Digits model answers, and learns from "that was a 7" in this process.
//
//   dotnet run --project samples/DigitsWeb [-- --urls http://127.0.0.1:5000 --checkpoint FILE --save-to FILE]
//
// The model is loaded from model/digits.safetensors beside the binary (made by samples/Digits; see
// model/README.md) unless --checkpoint says otherwise; POST /save writes to --save-to (by default
// the checkpoint itself).

using System;
using System.Diagnostics;
using System.IO;
using DigitsWeb;
using Microsoft.AspNetCore.Builder;

Microsoft.AspNetCore.Builder.WebApplication app;
try
{
    app = DigitsWebApp.Build(args);
}
catch (FileNotFoundException e)
{
    Console.Error.WriteLine($"DigitsWeb: {e.Message}");
    return 1;
}

app.Lifetime.ApplicationStarted.Register(() =>
    Console.WriteLine($"DigitsWeb: listening on {string.Join(", ", app.Urls)} (model version 0, started in {(DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds:F0} ms)"));
app.Run();
return 0;
