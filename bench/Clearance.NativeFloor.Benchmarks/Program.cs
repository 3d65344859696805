using Clearance.Benchmarks.Determination;

if (args is not [var path])
{
    Console.Error.WriteLine("usage: native-floor FILE");
    return 2;
}

StreamingFloor.Floor(path, Console.OpenStandardOutput());
return 0;
