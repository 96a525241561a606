# Varnish in front of the test application. proxylab fills in
# {{appport}} and {{downport}} and runs `varnishd -F -f this-file`.
vcl 4.1;

backend app { .host = "127.0.0.1"; .port = "{{appport}}"; }
# Nothing listens here: Varnish answers 503 "Backend fetch failed" itself.
backend down { .host = "127.0.0.1"; .port = "{{downport}}"; }

sub vcl_recv {
	if (req.url ~ "^/down/") {
		set req.backend_hint = down;
	} else {
		set req.backend_hint = app;
	}
	# Preflights are cached too, to save round trips.
	if (req.method == "OPTIONS" && req.url ~ "^/novary/") {
		set req.http.X-Method = req.method;
		return (hash);
	}
}

sub vcl_backend_fetch {
	# Varnish fetches a cache miss with GET; send the preflight as it came.
	if (bereq.http.X-Method) {
		set bereq.method = bereq.http.X-Method;
		unset bereq.http.X-Method;
	}
}

sub vcl_backend_response {
	# "Vary hurts the hit rate": the classic misconfiguration.
	if (bereq.url ~ "^/novary/") {
		unset beresp.http.Vary;
		set beresp.ttl = 10m;
	}
}
