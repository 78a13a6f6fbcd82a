// Command ferretdb runs FerretDB 1.x with its SQLite backend for local development and tests.
//
// It embeds the module's ferretdb package instead of building cmd/ferretdb, because a plain
// `go install .../cmd/ferretdb` panics at start for want of the generated version file.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
	"github.com/FerretDB/wire"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	dataDir := flag.String("data", "data", "directory for the SQLite databases")
	flag.Parse()

	if err := os.MkdirAll(*dataDir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}

	// Collect garbage a quarter as often: inserts allocate briskly and the heap is small.
	// GOGC in the environment still wins.
	// FerretDB turns this on to refuse NaN doubles, which its SQLite storage cannot hold, and it
	// costs a second full decoding of every incoming message. Nothing the project stores is a
	// NaN (every payload passed through JSON); were one sent, storing it fails all the same.
	wire.CheckNaNs = false

	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}

	jsonHandler := slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})
	logger := slog.New(&deferredHandler{base: jsonHandler})

	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Logger:   logger,
		Handler:  "sqlite",
		// WAL without an fsync per commit: a crash of this process loses nothing, a power
		// failure may lose the last commits. This is a development and test server.
		SQLiteURL: "file:" + *dataDir + "/?_pragma=synchronous(NORMAL)",
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	fmt.Fprintf(os.Stderr, "ferretdb listening on %s, data in %s\n", *listen, *dataDir)
	if err := f.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}
}

// deferredHandler applies the attributes and groups given to Logger.With only to records that
// are logged. slog's JSON handler formats them at once, whatever the level, and FerretDB calls
// With on every SQL statement with the statement's arguments (whole documents) for a debug
// line: 8.6 % of its CPU time in a profile (net/http/pprof) taken during
// `npm run bench:engine -- --only stack`.
type deferredHandler struct {
	base  slog.Handler
	steps []deferredStep
}

// deferredStep is one With call: attributes, or else a group name.
type deferredStep struct {
	attrs []slog.Attr
	group string
}

func (h *deferredHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.base.Enabled(ctx, level)
}

func (h *deferredHandler) Handle(ctx context.Context, r slog.Record) error {
	handler := h.base
	for _, step := range h.steps {
		if step.attrs != nil {
			handler = handler.WithAttrs(step.attrs)
		} else {
			handler = handler.WithGroup(step.group)
		}
	}
	return handler.Handle(ctx, r)
}

func (h *deferredHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	return h.with(deferredStep{attrs: attrs})
}

func (h *deferredHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	return h.with(deferredStep{group: name})
}

func (h *deferredHandler) with(step deferredStep) slog.Handler {
	steps := make([]deferredStep, len(h.steps), len(h.steps)+1)
	copy(steps, h.steps)
	return &deferredHandler{base: h.base, steps: append(steps, step)}
}
