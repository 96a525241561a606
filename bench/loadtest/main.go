// Command loadtest measures corsguard end to end over loopback sockets: the
// same fixed-count load against a bare server and a corsguard one (optionally
// rs/cors and a second bare server as a control), in rotating rounds, printing
// medians as a markdown table.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"sort"
	"time"
)

func main() {
	n := flag.Int("n", 40_000, "requests per run")
	c := flag.Int("c", 50, "concurrent keep-alive connections")
	rounds := flag.Int("rounds", 11, "alternating rounds; medians are reported")
	timeout := flag.Duration("timeout", 2*time.Minute, "upper bound of one run")
	peers := flag.Bool("peers", false, "also measure github.com/rs/cors")
	control := flag.Bool("control", false, "also measure a second bare server: its cost is the method's own bias and noise")
	verbose := flag.Bool("v", false, "print every run to stderr")
	serveOnly := flag.Bool("serve", false, "only serve bare, corsguard and rs/cors on loopback, printing \"name url\" lines, until interrupted (for wrk.sh)")
	flag.Parse()
	if *serveOnly {
		if err := serve(os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "loadtest:", err)
			os.Exit(1)
		}
		return
	}
	progress := io.Discard
	if *verbose {
		progress = os.Stderr
	}
	if err := run(os.Stdout, progress, *n, *c, *rounds, *timeout, *peers, *control); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func run(out, progress io.Writer, n, c, rounds int, timeout time.Duration, peers, control bool) error {
	if n < c || c < 1 || rounds < 1 {
		return fmt.Errorf("need n >= c >= 1 and rounds >= 1")
	}
	guarded, err := corsguard(okHandler)
	if err != nil {
		return err
	}
	type spec struct {
		name          string
		h             http.Handler
		preflightCode int
	}
	specs := []spec{{"bare", okHandler, 0}, {"corsguard", guarded, http.StatusNoContent}}
	if peers {
		specs = append(specs, spec{"rs/cors", rsCors(okHandler), http.StatusNoContent})
	}
	if control {
		specs = append(specs, spec{"bare (control)", okHandler, 0})
	}
	var servers []*server
	defer func() {
		for _, s := range servers {
			s.close()
		}
	}()
	for _, sp := range specs {
		s, err := start(sp.name, sp.h, sp.preflightCode, c)
		if err != nil {
			return err
		}
		servers = append(servers, s)
	}

	once := func(s *server, k requestKind, count int) result {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		return load(ctx, s.client, k.newReq(s.url), count, c, s.check(k.preflight))
	}
	// Warm-up: open the connections and let the runtime settle.
	for _, s := range servers {
		for _, k := range kinds {
			if r := once(s, k, max(c, n/20)); r.failures > 0 {
				return fmt.Errorf("%s, %s: %d failures, first: %v", s.name, k.name, r.failures, r.firstErr)
			}
		}
	}

	results := make(map[string][]result) // by kind name + server name
	for round := 0; round < rounds; round++ {
		// Rotate the order every round so that no server always runs first
		// or right after the garbage collection of another's run.
		order := make([]*server, len(servers))
		for i := range order {
			order[i] = servers[(i+round)%len(servers)]
		}
		for _, k := range kinds {
			for _, s := range order {
				runtime.GC()
				r := once(s, k, n)
				if r.failures > 0 {
					return fmt.Errorf("%s, %s: %d failures, first: %v", s.name, k.name, r.failures, r.firstErr)
				}
				if r.done < n {
					return fmt.Errorf("%s, %s: timed out after %d of %d requests", s.name, k.name, r.done, n)
				}
				fmt.Fprintf(progress, "round %d, %s, %s: %.0f req/s, p50 %s, p99 %s\n", round+1, k.name, s.name, r.rps(), us(r.p50), us(r.p99))
				results[k.name+"|"+s.name] = append(results[k.name+"|"+s.name], r)
			}
		}
	}

	fmt.Fprintf(out, "%d requests per run, %d keep-alive connections, median of %d rotating rounds; %s, GOMAXPROCS=%d; client and servers share one process.\n\n",
		n, c, rounds, runtime.Version(), runtime.GOMAXPROCS(0))
	fmt.Fprintln(out, "| request | server | req/s | p50 | p99 | throughput cost vs bare, paired per round |")
	fmt.Fprintln(out, "| --- | --- | ---: | ---: | ---: | ---: |")
	for _, k := range kinds {
		bare := results[k.name+"|bare"]
		for _, s := range servers {
			rs := results[k.name+"|"+s.name]
			rps := median(rs, func(r result) float64 { return r.rps() })
			p50 := time.Duration(median(rs, func(r result) float64 { return float64(r.p50) }))
			p99 := time.Duration(median(rs, func(r result) float64 { return float64(r.p99) }))
			cost := "—"
			if s.name != "bare" {
				// Paired by round: the bare run next to it saw the same
				// background load, so the ratio drifts less than either side.
				costs := make([]float64, len(rs))
				for i, r := range rs {
					costs[i] = (1 - r.rps()/bare[i].rps()) * 100
				}
				lo, hi := quartiles(costs)
				cost = fmt.Sprintf("%.1f%% (IQR %.1f%% … %.1f%%)", medianOf(costs), lo, hi)
			}
			fmt.Fprintf(out, "| %s | %s | %.0f | %s | %s | %s |\n", k.name, s.name, rps, us(p50), us(p99), cost)
		}
	}
	return nil
}

func median(rs []result, f func(result) float64) float64 {
	v := make([]float64, len(rs))
	for i, r := range rs {
		v[i] = f(r)
	}
	return medianOf(v)
}

func medianOf(v []float64) float64 {
	sort.Float64s(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func us(d time.Duration) time.Duration { return d.Round(time.Microsecond) }

// quartiles returns the first and third quartiles (nearest rank), which show
// how far the background load moved the rounds.
func quartiles(v []float64) (q1, q3 float64) {
	sort.Float64s(v)
	return v[(len(v)-1)/4], v[(3*(len(v)-1)+3)/4]
}
