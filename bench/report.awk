# SPDX-License-Identifier: Apache-2.0
# Turns bench/run's raw measurements into the results: each row gains its
# ratio to nginx measured in the same run for the same upstream, size and
# connection count (requests/s ratio, and p99 difference in ms).
#
#   awk -F, -v format=csv   -f report.awk raw.csv   # CSV for bench/results/
#   awk -F, -v format=table -f report.awk raw.csv   # the table bench/run prints
#
# Raw columns: proxy,upstream,size,connections,seconds,requests,rps,p50_ms,
# p99_ms,errors,cpu_s_per_10k,rss_mb

NR == 1 { next }

{
    rows[++count] = $0
    cell = $2 SUBSEP $3 SUBSEP $4
    if ($1 == "nginx") { nginx_rps[cell] = $7; nginx_p99[cell] = $9 }
}

function ratio(row,    f, cell) {
    split(row, f, ",")
    cell = f[2] SUBSEP f[3] SUBSEP f[4]
    if (!(cell in nginx_rps) || nginx_rps[cell] == 0) return "-"
    return sprintf("%.2f", f[7] / nginx_rps[cell])
}

function p99_delta(row,    f, cell) {
    split(row, f, ",")
    cell = f[2] SUBSEP f[3] SUBSEP f[4]
    if (!(cell in nginx_p99)) return "-"
    return sprintf("%+.2f", f[9] - nginx_p99[cell])
}

END {
    if (format == "csv") {
        print "proxy,upstream,size,connections,seconds,requests,rps,p50_ms,p99_ms,errors,cpu_s_per_10k,rss_mb,rps_vs_nginx,p99_minus_nginx_ms"
        for (i = 1; i <= count; i++) print rows[i] "," ratio(rows[i]) "," p99_delta(rows[i])
        exit
    }
    header = "%-9s %-5s %-4s %5s %9s %8s %8s %7s %9s %6s %8s %7s\n"
    printf header, "proxy", "up", "size", "conns", "req/s", "p50 ms", "p99 ms", "x nginx", "p99-ngx", "errors", "cpu/10k", "RSS MB"
    for (i = 1; i <= count; i++) {
        split(rows[i], f, ",")
        if (i > 1 && (f[2] != last[2] || f[3] != last[3] || f[4] != last[4])) print ""
        printf "%-9s %-5s %-4s %5d %9.0f %8.2f %8.2f %7s %9s %6d %8.3f %7.1f\n",
            f[1], f[2], f[3], f[4], f[7], f[8], f[9], ratio(rows[i]), p99_delta(rows[i]), f[10], f[11], f[12]
        split(rows[i], last, ",")
    }
}
