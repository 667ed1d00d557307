using System.Net;
using System.Net.Http.Headers;
using Keepsake.Photos;
using Keepsake.Tests.Infrastructure;
using static Keepsake.Tests.WebDav.Dav;

namespace Keepsake.Tests.WebDav;

/// <summary>WebDAV class 1 as RFC 4918 says, over HTTP: the tree, PROPFIND's multistatus, and PUT ingesting like a form upload.</summary>
public sealed class WebDavProtocolTests(SharedKeepsakeApp shared) : IClassFixture<SharedKeepsakeApp>
{
    [Fact]
    public async Task Options_says_class_1_and_lists_the_methods()
    {
        var (_, email, dav) = await UserWithDavAsync(shared);

        var response = await dav.SendAsync("OPTIONS", Url(email));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues("DAV").Single());
        var allowed = response.Content.Headers.Allow;
        foreach (var method in new[] { "PROPFIND", "GET", "PUT", "DELETE", "MKCOL", "MOVE", "COPY" })
        {
            Assert.Contains(method, allowed);
        }
        Assert.DoesNotContain("LOCK", allowed);
    }

    [Theory]
    [InlineData("LOCK")]
    [InlineData("UNLOCK")]
    [InlineData("PROPPATCH")]
    public async Task Methods_beyond_class_1_are_not_allowed_and_never_answered_by_the_web_app(string method)
    {
        var (_, email, dav) = await UserWithDavAsync(shared);

        var response = await dav.SendAsync(method, Url(email, "Photos/"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("PROPFIND", response.Content.Headers.Allow);
        Assert.DoesNotContain("<html", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_partial_put_is_refused_and_stores_nothing()
    {
        var (session, email, dav) = await UserWithDavAsync(shared);
        var content = FileContent(TestData.Photo("no-exif-casio.jpg"));
        content.Headers.ContentRange = new ContentRangeHeaderValue(0, 99, 5000);

        var response = await dav.SendAsync("PUT", Url(email, "Photos/part.jpg"), content);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Empty((await session.GetPageAsync("/api/photos")).Items);
    }

    [Fact]
    public async Task The_root_holds_Photos_and_Albums_as_collections()
    {
        var (_, email, dav) = await UserWithDavAsync(shared);

        var responses = await (await dav.PropfindAsync(Url(email), "1", AllProp)).MultiStatusAsync();

        Assert.Equal([$"/dav/{email}/", $"/dav/{email}/Albums/", $"/dav/{email}/Photos/"], responses.Keys.Order());
        Assert.All(responses.Values, r => Assert.True(r.IsCollection()));
        Assert.Equal("Photos", responses[$"/dav/{email}/Photos/"].Props().Element(D + "displayname")!.Value);
    }

    [Fact]
    public async Task A_photo_put_into_Photos_is_listed_under_the_year_and_month_it_was_taken_with_its_properties()
    {
        var (_, email, dav) = await UserWithDavAsync(shared);
        var file = TestData.Photo("gps-apple-iphone4.jpg");

        var put = await dav.PutAsync(Url(email, "Photos/gps-apple-iphone4.jpg"), file);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var years = await (await dav.PropfindAsync(Url(email, "Photos/"), "1")).MultiStatusAsync();
        Assert.Contains($"/dav/{email}/Photos/2011/", years.Keys);
        var months = await (await dav.PropfindAsync(Url(email, "Photos/2011/"), "1")).MultiStatusAsync();
        Assert.Equal([$"/dav/{email}/Photos/2011/", $"/dav/{email}/Photos/2011/01/"], months.Keys.Order());
        var photos = await (await dav.PropfindAsync(Url(email, "Photos/2011/01/"), "1", AllProp)).MultiStatusAsync();
        var props = photos[$"/dav/{email}/Photos/2011/01/gps-apple-iphone4.jpg"].Props();
        Assert.Equal(new FileInfo(file).Length.ToString(System.Globalization.CultureInfo.InvariantCulture), props.Element(D + "getcontentlength")!.Value);
        Assert.Equal("image/jpeg", props.Element(D + "getcontenttype")!.Value);
        Assert.Equal("gps-apple-iphone4.jpg", props.Element(D + "displayname")!.Value);
        Assert.Empty(props.Element(D + "resourcetype")!.Elements());
        Assert.StartsWith("\"", props.Element(D + "getetag")!.Value, StringComparison.Ordinal);
        Assert.True(DateTimeOffset.TryParse(props.Element(D + "getlastmodified")!.Value, out _));
        Assert.True(DateTimeOffset.TryParse(props.Element(D + "creationdate")!.Value, out _));
    }

    [Fact]
    public async Task A_photo_reads_back_byte_for_byte_and_by_ranges()
    {
        var (_, email, dav) = await UserWithDavAsync(shared);
        var file = TestData.Photo("gps-apple-iphone4.jpg");
        await (await dav.PutAsync(Url(email, "Photos/gps-apple-iphone4.jpg"), file)).EnsureSuccessAsync();

        var whole = await dav.GetByteArrayAsync(Url(email, "Photos/2011/01/gps-apple-iphone4.jpg"));
        var request = new HttpRequestMessage(HttpMethod.Get, Url(email, "Photos/2011/01/gps-apple-iphone4.jpg")) { Headers = { Range = new RangeHeaderValue(10, 19) } };
        var part = await dav.SendAsync(request);
        var head = await dav.SendAsync(new HttpRequestMessage(HttpMethod.Head, Url(email, "Photos/2011/01/gps-apple-iphone4.jpg")));

        Assert.Equal(await File.ReadAllBytesAsync(file), whole);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(whole[10..20], await part.Content.ReadAsByteArrayAsync());
        Assert.Equal(whole.Length, head.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Named_properties_the_resource_lacks_come_back_404_in_their_own_propstat()
    {
        var (_, email, dav) = await UserWithDavAsync(shared);
        const string Body = """<?xml version="1.0"?><D:propfind xmlns:D="DAV:" xmlns:X="urn:example"><D:prop><D:displayname/><D:getcontentlength/><X:colour/></D:prop></D:propfind>""";

        var responses = await (await dav.PropfindAsync(Url(email, "Albums/"), "0", Body)).MultiStatusAsync();

        var albums = Assert.Single(responses).Value;
        Assert.Equal(["displayname"], albums.Props().Elements().Select(e => e.Name.LocalName));
        Assert.Equal(["getcontentlength", "colour"], albums.Props(404).Elements().Select(e => e.Name.LocalName));
    }

    [Fact]
    public async Task Allprop_answers_the_properties_it_includes_too()
    {
        var (_, email, dav) = await UserWithDavAsync(shared);
        const string Body = """<D:propfind xmlns:D="DAV:" xmlns:X="urn:example"><D:allprop/><D:include><X:colour/></D:include></D:propfind>""";

        var root = Assert.Single(await (await dav.PropfindAsync(Url(email), "0", Body)).MultiStatusAsync()).Value;

        Assert.Equal(email, root.Props().Element(D + "displayname")!.Value);
        Assert.Equal(["colour"], root.Props(404).Elements().Select(e => e.Name.LocalName));
    }

    [Fact]
    public async Task Propname_lists_the_names_without_values()
    {
        var (_, email, dav) = await UserWithDavAsync(shared);
        await (await dav.PutAsync(Url(email, "Photos/no-exif-casio.jpg"), TestData.Photo("no-exif-casio.jpg"))).EnsureSuccessAsync();

        var responses = await (await dav.PropfindAsync(Url(email, "Photos/no-exif-casio.jpg"), "0",
            """<D:propfind xmlns:D="DAV:"><D:propname/></D:propfind>""")).MultiStatusAsync();

        var props = Assert.Single(responses).Value.Props();
        Assert.Contains(props.Elements(), e => e.Name == D + "getetag");
        Assert.All(props.Elements(), e => Assert.True(e.IsEmpty && !e.HasElements, e.ToString()));
    }

    [Theory]
    [InlineData("infinity")]
    [InlineData(null)]
    public async Task Depth_infinity_is_refused_with_the_finite_depth_precondition(string? depth)
    {
        var (_, email, dav) = await UserWithDavAsync(shared);
        var request = new HttpRequestMessage(new HttpMethod("PROPFIND"), Url(email));
        if (depth is not null)
        {
            request.Headers.Add("Depth", depth);
        }

        var response = await dav.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = System.Xml.Linq.XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        Assert.Equal(D + "error", error.Name);
        Assert.NotNull(error.Element(D + "propfind-finite-depth"));
    }

    [Fact]
    public async Task A_body_that_is_not_a_propfind_is_a_400_problem()
    {
        var (_, email, dav) = await UserWithDavAsync(shared);

        await (await dav.PropfindAsync(Url(email), "0", "<not-closed")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await dav.PropfindAsync(Url(email), "0", """<D:other xmlns:D="DAV:"/>""")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Two_photos_sent_under_one_name_in_one_month_are_told_apart()
    {
        var (_, email, dav) = await UserWithDavAsync(shared);
        await (await dav.PutAsync(Url(email, "Photos/same.jpg"), TestData.Photo("no-exif-casio.jpg"))).EnsureSuccessAsync();
        await (await dav.PutAsync(Url(email, "Photos/same.jpg"), TestData.Photo("orientation-1-landscape.jpg"))).EnsureSuccessAsync();
        var month = $"Photos/{DateTime.UtcNow:yyyy}/{DateTime.UtcNow:MM}/";

        var responses = await (await dav.PropfindAsync(Url(email, month), "1")).MultiStatusAsync();

        Assert.Equal([$"/dav/{email}/{month}", $"/dav/{email}/{month}same (2).jpg", $"/dav/{email}/{month}same.jpg"], responses.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(await File.ReadAllBytesAsync(TestData.Photo("orientation-1-landscape.jpg")), await dav.GetByteArrayAsync(Url(email, month + "same (2).jpg")));
    }

    [Fact]
    public async Task A_photo_sent_again_succeeds_and_is_not_stored_twice()
    {
        var (session, email, dav) = await UserWithDavAsync(shared);
        var file = TestData.Photo("gps-samsung-galaxy-note5.jpg");

        var first = await dav.PutAsync(Url(email, "Photos/note5.jpg"), file);
        var again = await dav.PutAsync(Url(email, "Photos/note5.jpg"), file);
        var elsewhere = await dav.PutAsync(Url(email, "Photos/2020/copy.jpg"), file);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, elsewhere.StatusCode);
        Assert.Single((await session.GetPageAsync("/api/photos")).Items);
    }

    [Theory]
    [InlineData("text.jpg")]
    [InlineData("dnl-height-zero.jpg")]
    [InlineData("empty.jpg")]
    [InlineData("svg-with-script.svg")]
    public async Task A_file_a_form_upload_refuses_is_refused_alike_and_nothing_is_stored(string name)
    {
        var (session, email, dav) = await UserWithDavAsync(shared);
        var form = await KeepsakeApp.UploadAsync(session, TestData.Odd(name));

        var put = await dav.PutAsync(Url(email, "Photos/" + name), TestData.Odd(name));

        Assert.True(form.StatusCode >= HttpStatusCode.BadRequest, $"the form took {name}");
        var problem = await put.AssertProblemAsync(form.StatusCode);
        Assert.Contains(name, problem.Detail, StringComparison.Ordinal);
        Assert.Empty((await session.GetPageAsync("/api/photos")).Items);
        Assert.Empty(await shared.App.StoredFilesOfAsync(session));
    }

    [Fact]
    public async Task A_photo_put_at_the_root_is_stored_byte_for_byte_under_its_name()
    {
        var (session, email, dav) = await UserWithDavAsync(shared);
        var file = TestData.Photo("gps-fujifilm-finepix-s2pro.jpg");

        await (await dav.PutAsync(Url(email, "fuji.jpg"), file)).EnsureSuccessAsync();

        var photo = Assert.Single((await session.GetPageAsync("/api/photos")).Items);
        var details = await (await session.GetAsync($"/api/photos/{photo.Id}")).ReadAsync<PhotoDetailsDto>();
        Assert.Equal("fuji.jpg", details.FileName);
        Assert.Equal(await File.ReadAllBytesAsync(file), await session.GetByteArrayAsync($"/api/photos/{photo.Id}/original"));
    }
}
