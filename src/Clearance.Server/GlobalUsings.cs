// What nearly every endpoint file uses: the Application's use cases and the minimal API types.
global using Clearance.Application;
global using Microsoft.AspNetCore.Builder;
global using Microsoft.AspNetCore.Http;
global using Microsoft.AspNetCore.Http.HttpResults;
global using Microsoft.AspNetCore.Routing;
