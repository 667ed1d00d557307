using System.Net;
using Keepsake.Observability;
using Keepsake.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Keepsake.Tests.Observability;

public sealed class FreshServerMetricsTests
{
    /// <summary>
    /// Named in the rule files, exported by others: kube-state-metrics (Jobs, CronJobs, pods), cAdvisor (containers),
    /// node-exporter (nodes) and Prometheus itself (<c>up</c>). Every other name must come from Keepsake.
    /// </summary>
    private static readonly HashSet<string> FromOtherExporters = new(StringComparer.Ordinal)
    {
        "up",
        "kube_cronjob_created", "kube_cronjob_status_last_successful_time",
        "kube_job_created", "kube_job_status_active", "kube_job_status_failed", "kube_job_status_start_time", "kube_job_status_succeeded",
        "kube_pod_container_resource_limits", "kube_pod_container_status_waiting_reason",
        "container_cpu_cfs_periods_total", "container_cpu_cfs_throttled_periods_total", "container_memory_working_set_bytes",
        "node_cpu_seconds_total", "node_filesystem_avail_bytes", "node_filesystem_readonly", "node_filesystem_size_bytes",
        "node_memory_MemAvailable_bytes", "node_memory_MemTotal_bytes",
    };

    [Fact]
    public void The_rule_files_are_read_down_to_the_metric_names_of_their_expressions()
    {
        var names = AlertRules.MetricNames(
            "time() - max by (job) (keepsake_backup_last_success_timestamp_seconds{job=\"keepsake\"} > 0) > 2 * 3600\n" +
            "or max_over_time(a_b{x=\"y\"}[2h20m]) == 0 and on (job) max by (job) (c_d offset 2h20m) unless e:f:g " +
            "or label_replace(absent_over_time(h_total{job=\"keepsake\"}[15m]), \"series\", \"absent\", \"\", \"\") < on (namespace) group_left i");

        Assert.Equal(["a_b", "c_d", "e:f:g", "h_total", "i", "keepsake_backup_last_success_timestamp_seconds"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_fresh_server_exposes_every_metric_the_alert_rules_read_from_its_first_scrape()
    {
        using var app = new KeepsakeApp();
        await using var server = await ServerProcess.StartAsync(app);
        using var management = server.CreateManagementClient();

        // The one scrape; the readiness probe the fixture waited on was the server's first request, so the request
        // histogram the SLO rules read is there too (with no request at all there is no ratio to alert on).
        var exposition = await management.GetStringAsync("/metrics");

        var read = AlertRules.ScrapedMetricNames();
        var exposed = Exposition.SeriesNames(exposition);
        var missing = read.Where(n => !FromOtherExporters.Contains(n) && !exposed.Contains(n)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "Read by deploy/monitoring's rules but not exposed by a fresh server: " + string.Join(", ", missing));
        var unused = FromOtherExporters.Where(n => !read.Contains(n)).ToList();
        Assert.True(unused.Count == 0, "Listed as another exporter's but read by no rule: " + string.Join(", ", unused));
        Assert.Contains("keepsake_backup_last_success_timestamp_seconds", read);
        Assert.Contains("keepsake_upload_failures_total", read);
        Assert.Equal(0, Exposition.Sample(exposition, "keepsake_backup_last_success_timestamp_seconds", ""));
        Assert.Equal(0, Exposition.Sample(exposition, "keepsake_backup_last_verified_timestamp_seconds", ""));
        Assert.Equal(0, Exposition.Sample(exposition, "keepsake_uploads_total", "keepsake_upload_result=\"stored\""));
        Assert.Equal(0, Exposition.Sample(exposition, "keepsake_upload_failures_total", "error_type=\"unreadable\""));
        Assert.Equal(0, Exposition.Sample(exposition, "keepsake_exceptions_total", ""));
    }

    [Fact]
    public async Task An_exception_no_handler_answers_is_a_500_and_is_counted()
    {
        using var app = new KeepsakeApp();
        using var failing = app.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.AddSingleton<IStartupFilter>(new ThrowingRoute("/api/fault-for-test"))));
        using var exceptions = new MetricCollector<long>(
            failing.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), KeepsakeMetrics.MeterName, KeepsakeMetrics.Exceptions);
        using var client = failing.CreateClient();

        var answer = await client.GetAsync("/api/fault-for-test");

        Assert.Equal(HttpStatusCode.InternalServerError, answer.StatusCode);
        Assert.Equal(1, exceptions.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    /// <summary>A route that throws, put in by this test only, behind the exception handler like any endpoint.</summary>
    private sealed class ThrowingRoute(string path) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Use((context, nextMiddleware) => context.Request.Path == path
                ? throw new InvalidOperationException("A bug, for the test.")
                : nextMiddleware(context));
        };
    }
}
