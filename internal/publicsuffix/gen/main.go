// Command gen writes rules.txt, the Public Suffix List that package
// publicsuffix embeds, from the rules of the pinned
// github.com/weppos/publicsuffix-go module (see go.mod), and with -check
// verifies that the embedded copy is exactly what that source gives.
//
// It lives in a module of its own so that the library's module requires
// nothing but the standard library:
//
//	go generate ./internal/publicsuffix   # or: cd internal/publicsuffix/gen && go run . -o ../rules.txt
//	cd internal/publicsuffix/gen && go run . -check ../rules.txt
//
// To take a newer list, raise the version in go.mod (go get
// github.com/weppos/publicsuffix-go@latest), regenerate, and commit both.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime/debug"
	"strings"

	"github.com/weppos/publicsuffix-go/publicsuffix"
)

// sourceModule is the module whose rules the list is taken from.
const sourceModule = "github.com/weppos/publicsuffix-go"

func main() {
	out := flag.String("o", "", "write the list to this file")
	check := flag.String("check", "", "verify that this file is exactly the list the source gives")
	flag.Parse()
	if err := run(*out, *check); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(out, check string) error {
	if (out == "") == (check == "") {
		return errors.New("give one of -o FILE or -check FILE")
	}
	version, err := sourceVersion()
	if err != nil {
		return err
	}
	rules := publicsuffix.DefaultRules()
	want := render(version, publicsuffix.ListVersion, rules[:])
	if out != "" {
		return os.WriteFile(out, want, 0o644)
	}
	got, err := os.ReadFile(check)
	if err != nil {
		return err
	}
	if line, ok := firstDifference(got, want); ok {
		return fmt.Errorf("%s differs from %s %s at line %d; regenerate it: go generate ./internal/publicsuffix",
			check, sourceModule, version, line)
	}
	fmt.Printf("%s matches %s %s\n", check, sourceModule, version)
	return nil
}

// sourceVersion is the version of sourceModule this program was built
// with: the one go.mod pins.
func sourceVersion() (string, error) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "", errors.New("no build information: run it with go run")
	}
	for _, dep := range info.Deps {
		if dep.Path == sourceModule {
			if dep.Replace != nil {
				return "", fmt.Errorf("%s is replaced by %s: build from the pinned version", sourceModule, dep.Replace.Path)
			}
			return dep.Version, nil
		}
	}
	return "", fmt.Errorf("%s is not among the build's modules", sourceModule)
}

// firstDifference reports the first line, counted from 1, where got and
// want differ.
func firstDifference(got, want []byte) (int, bool) {
	if bytes.Equal(got, want) {
		return 0, false
	}
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return i + 1, true
		}
	}
	return min(len(g), len(w)) + 1, true
}
