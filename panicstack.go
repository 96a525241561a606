package cors

import (
	"log/slog"
	"runtime"
	"strconv"
	"strings"
)

// maxLoggedFrames bounds the frames a panic's record lists.
const maxLoggedFrames = 32

// panicAttrs describes a recovered panic for its one log record: the value;
// "at", the innermost frame of the caller's own code, found by skipping the
// runtime's frames and this library's; and "stack", the frames from there
// outwards, on one line ("a (f.go:1) <- b (g.go:2)"), so that slog's text
// and JSON handlers both keep it readable. It must run on the panicking
// goroutine while the panic is being recovered, when the panicking frames
// are still on the stack.
func panicAttrs(v any) []slog.Attr {
	var pcs [2 * maxLoggedFrames]uintptr
	n := runtime.Callers(2, pcs[:])
	frames := runtime.CallersFrames(pcs[:n])
	var b strings.Builder
	at, listed := "", 0
	for {
		f, more := frames.Next()
		if at == "" && !ownFrame(f) {
			if !more {
				break
			}
			continue
		}
		line := f.Function + " (" + f.File + ":" + strconv.Itoa(f.Line) + ")"
		if at == "" {
			at = line
		} else {
			b.WriteString(" <- ")
		}
		b.WriteString(line)
		if listed++; !more || listed == maxLoggedFrames || b.Len() >= maxLoggedStack {
			break
		}
	}
	return []slog.Attr{
		slog.String("panic", panicValue(v)),
		slog.String("at", at),
		slog.String("stack", truncate(b.String(), maxLoggedStack)),
	}
}

// libraryPackage is the import path of this package, whose frames (its tests
// aside) are never the caller's own.
const libraryPackage = "github.com/corsguard/cors"

// ownFrame reports whether f belongs to the caller's code: neither the
// runtime (gopanic, sigpanic) nor this library and its internal packages.
func ownFrame(f runtime.Frame) bool {
	fn := f.Function
	switch {
	case strings.HasPrefix(fn, "runtime."):
		return false
	case strings.HasSuffix(f.File, "_test.go"):
		return true
	case strings.HasPrefix(fn, libraryPackage+"."), strings.HasPrefix(fn, libraryPackage+"/internal/"):
		return false
	}
	return fn != ""
}
