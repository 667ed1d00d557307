using Keepsake.Accounts;
using Keepsake.Accounts.DeviceKeys;
using Keepsake.Photos;
using Keepsake.Storage;
using Microsoft.AspNetCore.Mvc;

namespace Keepsake.WebDav;

/// <summary>
/// WebDAV class 1 (RFC 4918) at <c>/dav/{email}/</c> for the apps people already have (rclone, PhotoSync, FolderSync, file
/// managers): reads here, writes in <see cref="DavWrites"/> and <see cref="DavMoves"/>. Only HTTP Basic with the user's
/// e-mail and a device key signs in (<see cref="DeviceKeyBasicAuthenticationHandler"/>); a read key may use the reading
/// methods, an upload key those and PUT and MKCOL, a full key all. No LOCK: class 1.
/// </summary>
public static class WebDavApi
{
    public const string Policy = "WebDav";
    public const string Propfind = "PROPFIND";
    public const string Mkcol = "MKCOL";
    public const string Move = "MOVE";
    public const string Copy = "COPY";

    public static readonly string[] ReadMethods = [HttpMethods.Options, Propfind, HttpMethods.Get, HttpMethods.Head];
    public static readonly string[] UploadMethods = [HttpMethods.Put, Mkcol];
    public static readonly string[] AllMethods = [.. ReadMethods, .. UploadMethods, HttpMethods.Delete, Move, Copy];

    public static RouteGroupBuilder MapWebDav(this IEndpointRouteBuilder routes)
    {
        var dav = routes.MapGroup("/dav/{email}").WithTags("WebDAV").RequireAuthorization(Policy).AllowKeyMethods(ReadMethods, UploadMethods)
            .ExcludeFromDescription();
        dav.AddEndpointFilter(OwnFolderOnly);
        const string Path = "/{**path}";
        dav.MapMethods(Path, [HttpMethods.Options], Options);
        dav.MapMethods(Path, [Propfind], PropfindAsync);
        dav.MapMethods(Path, [HttpMethods.Get, HttpMethods.Head], GetAsync);
        dav.MapMethods(Path, [HttpMethods.Put], DavWrites.PutAsync).WithMetadata(new DisableRequestSizeLimitAttribute());
        dav.MapMethods(Path, [Mkcol], DavWrites.MkcolAsync);
        dav.MapMethods(Path, [HttpMethods.Delete], DavWrites.DeleteAsync);
        dav.MapMethods(Path, [Move, Copy], DavMoves.MoveOrCopyAsync);
        return dav;
    }

    /// <summary>The path under <c>/dav/{email}/</c> as segments.</summary>
    public static string[] Segments(string? path) => (path ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The href of a resource of the signed-in user's tree.</summary>
    public static string Href(HttpContext context, DavResource resource)
    {
        var path = string.Concat(resource.Segments.Select(s => DavNames.Escape(s) + "/"));
        return $"{context.Request.PathBase}/dav/{DavNames.Escape(context.User.Identity!.Name!)}/{(resource.IsCollection ? path : path.TrimEnd('/'))}";
    }

    public static IResult Options(HttpContext context)
    {
        context.Response.Headers["DAV"] = "1";
        context.Response.Headers.Allow = string.Join(", ", AllMethods);
        context.Response.Headers["MS-Author-Via"] = "DAV";
        return TypedResults.Ok();
    }

    /// <summary>Depth 0 (the resource) or 1 (and its members); infinity, the default, is refused as RFC 4918 section 9.1 allows.</summary>
    public static async Task<IResult> PropfindAsync(string? path, HttpContext context, DavTree tree, CancellationToken cancellationToken)
    {
        var depth = context.Request.Headers["Depth"].ToString().Trim();
        if (depth is "" or "infinity" or "Infinity")
        {
            return DavResults.Precondition(StatusCodes.Status403Forbidden, "propfind-finite-depth",
                "This server lists one level at a time: send 'Depth: 0' or 'Depth: 1'.");
        }
        if (depth is not ("0" or "1"))
        {
            return DavResults.Problem(StatusCodes.Status400BadRequest, "Invalid Depth", $"'Depth' must be 0, 1 or infinity, not '{depth}'.");
        }
        var (request, problem) = await DavPropfindRequest.ReadAsync(context.Request, cancellationToken);
        if (request is null)
        {
            return DavResults.Problem(StatusCodes.Status400BadRequest, "Invalid PROPFIND body", problem!);
        }
        var owner = context.User.UserId();
        var resource = await tree.FindAsync(owner, Segments(path), cancellationToken);
        if (resource is null)
        {
            return DavResults.NotFound();
        }
        List<DavResource> members = depth == "1" ? await tree.ChildrenAsync(owner, resource, cancellationToken) : [];
        var name = context.User.Identity!.Name!;
        return DavResults.MultiStatusOf(members.Prepend(resource).Select(r => request.Response(r, Href(context, r), name)));
    }

    /// <summary>A photo's original, byte for byte (ranges too); a folder lists its members' names as text.</summary>
    public static async Task<IResult> GetAsync(string? path, HttpContext context, DavTree tree, IBlobStore blobs, CancellationToken cancellationToken)
    {
        var owner = context.User.UserId();
        var resource = await tree.FindAsync(owner, Segments(path), cancellationToken);
        if (resource is null)
        {
            return DavResults.NotFound();
        }
        if (resource.Photo is { } photo)
        {
            return await PhotoFiles.ServeAsync(context, blobs, photo, PhotoVariant.Original, cancellationToken);
        }
        var members = await tree.ChildrenAsync(owner, resource, cancellationToken);
        return TypedResults.Text(string.Concat(members.Select(m => m.Name + (m.IsCollection ? "/\n" : "\n"))), "text/plain; charset=utf-8");
    }

    /// <summary>Another user's folder is answered as a missing one: nothing of it, not even whether it exists.</summary>
    private static async ValueTask<object?> OwnFolderOnly(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var asked = context.Request.RouteValues["email"] as string;
        var own = context.User.Identity?.Name;
        if (own is null || !string.Equals(asked, own, StringComparison.OrdinalIgnoreCase))
        {
            return DavResults.Problem(StatusCodes.Status404NotFound, "Not found",
                $"There is no WebDAV folder at this address for this device key; its owner's folder is /dav/{own}/.");
        }
        return await next(invocation);
    }
}
