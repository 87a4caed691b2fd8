// Command encounters is the one binary of the Encounters marketplace: the
// web server and the administrative commands. main only wires packages
// together; the product lives in app/, search/ and emails/.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // Europe/London on machines without a tz database

	"github.com/encounters/encounters/config"
)

const usage = `Usage: encounters [command] [flags]

Commands:
  serve                      run the web server (the default)
  import schools FILE        import a Get Information About Schools or EduBase file
  seed --demo                add the demo employers, offers and requests
  reindex                    rebuild the search index from the documents
  match REQUEST_ID [--json]  show the best offer sessions for a request
  user add --email E --org ID --role owner|member
                             create a member (ID: organisation id, school URN or "coordinator")
  token --email E            print a new API token for a user

Configuration comes from environment variables; see README.md.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		var u usageError
		if errors.As(err, &u) {
			fmt.Fprintf(os.Stderr, "encounters: %v\n\n%s", err, usage)
			os.Exit(2)
		}
		fmt.Fprintf(os.Stderr, "encounters: %v\n", err)
		os.Exit(1)
	}
}

// usageError is a mistake in the command line itself.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// run loads the configuration and runs one command.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := config.Load(os.LookupEnv)
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	log := newLogger(cfg, stderr)

	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, cfg, log, args)
	case "import":
		return importCommand(ctx, cfg, log, args, stderr)
	case "seed":
		return seedCommand(ctx, cfg, log, args, stdout)
	case "reindex":
		return reindexCommand(ctx, cfg, log, stderr)
	case "match":
		return matchCommand(ctx, cfg, log, args, stdout)
	case "user":
		return userCommand(ctx, cfg, log, args, stdout)
	case "token":
		return tokenCommand(ctx, cfg, log, args, stdout)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return usageError{fmt.Sprintf("unknown command %q", cmd)}
}

// newLogger configures log/slog once, as the settings ask.
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
