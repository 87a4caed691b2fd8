package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/gias"
	"github.com/encounters/encounters/config"
)

// withEngines opens the engines, runs fn and closes them again.
func withEngines(ctx context.Context, cfg config.Config, log *slog.Logger, fn func(*engines) error) error {
	e, err := openEngines(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer e.close(log)
	return fn(e)
}

// newFlags returns a flag set that reports mistakes as usage errors.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return usageError{fmt.Sprintf("%s: %v", fs.Name(), err)}
	}
	return nil
}

// importCommand runs "import schools FILE". Progress goes to stderr and the
// last line printed is the summary.
func importCommand(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stderr io.Writer) error {
	if len(args) != 2 || args[0] != "schools" {
		return usageError{"import needs: import schools FILE"}
	}
	f, err := os.Open(args[1])
	if err != nil {
		return fmt.Errorf("open schools file: %w", err)
	}
	defer f.Close()

	return withEngines(ctx, cfg, log, func(e *engines) error {
		summary, err := importSchools(ctx, e, f, stderr)
		if err != nil {
			return err
		}
		fmt.Fprintln(stderr, summary.String())
		return nil
	})
}

// importSchools reads a schools file of any known dialect into the store.
func importSchools(ctx context.Context, e *engines, r io.Reader, progress io.Writer) (app.ImportSummary, error) {
	rows, err := gias.NewReader(r)
	if err != nil {
		return app.ImportSummary{}, cliError(err)
	}
	return e.svc.ImportSchools(ctx, rows, progress)
}

// importShippedSchools adds the County Durham schools shipped in the
// binary that the store does not have yet, for a first start and the demo
// seed; schools already stored, perhaps from a newer file, are left alone.
func importShippedSchools(ctx context.Context, e *engines, progress io.Writer) (app.ImportSummary, error) {
	rows, err := gias.NewReader(gias.CountyDurham())
	if err != nil {
		return app.ImportSummary{}, fmt.Errorf("read shipped schools: %w", err)
	}
	return e.svc.ImportNewSchools(ctx, rows, progress)
}

// seedCommand runs "seed --demo": the county's schools and the demo market.
func seedCommand(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := newFlags("seed")
	demo := fs.Bool("demo", false, "add the demo employers, offers and requests")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if !*demo {
		return usageError{"seed needs --demo (the only seed there is)"}
	}
	return withEngines(ctx, cfg, log, func(e *engines) error {
		if err := e.svc.EnsureCoordinator(ctx); err != nil {
			return err
		}
		summary, err := importShippedSchools(ctx, e, io.Discard)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, "schools:", summary.String())
		report, err := e.svc.SeedDemo(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, "demo:", report.String())
		return nil
	})
}

// reindexCommand rebuilds the search index from the documents.
func reindexCommand(ctx context.Context, cfg config.Config, log *slog.Logger, stderr io.Writer) error {
	return withEngines(ctx, cfg, log, func(e *engines) error {
		n, err := e.svc.Reindex(ctx, func(done, total int) {
			fmt.Fprintf(stderr, "indexed %d of %d offers\n", done, total)
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "reindexed=%d\n", n)
		return nil
	})
}

// matchJSON is one match as `match --json` and the API print it.
type matchJSON struct {
	OfferID    string   `json:"offer_id"`
	SessionID  string   `json:"session_id"`
	Score      float64  `json:"score"`
	Reasons    []string `json:"reasons"`
	OfferTitle string   `json:"offer_title"`
	Start      string   `json:"start"`
	DistanceKm *float64 `json:"distance_km,omitempty"`
}

// matchCommand prints the best offer sessions for a request.
func matchCommand(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := newFlags("match")
	asJSON := fs.Bool("json", false, "print JSON")
	limit := fs.Int("limit", 10, "how many matches")
	id, rest := splitFirst(args)
	if err := parseFlags(fs, rest); err != nil {
		return err
	}
	if id == "" && fs.NArg() > 0 {
		id = fs.Arg(0)
	}
	if id == "" {
		return usageError{"match needs a REQUEST_ID"}
	}
	return withEngines(ctx, cfg, log, func(e *engines) error {
		coordinator := &app.Actor{Kind: app.KindCoordinator, OrgID: app.CoordinatorOrgID}
		matches, err := e.svc.MatchRequest(ctx, coordinator, id, *limit)
		if err != nil {
			return cliError(err)
		}
		if *asJSON {
			return printMatchesJSON(stdout, matches)
		}
		printMatches(stdout, matches)
		return nil
	})
}

func printMatchesJSON(w io.Writer, matches []app.Match) error {
	out := struct {
		Results []matchJSON `json:"results"`
	}{Results: []matchJSON{}}
	for _, m := range matches {
		out.Results = append(out.Results, matchJSON{
			OfferID: m.Offer.ID, SessionID: m.Session.ID, Score: m.Score, Reasons: m.Reasons,
			OfferTitle: m.Offer.Title, Start: m.Session.Start.Format("2006-01-02T15:04:05Z07:00"),
			DistanceKm: m.DistanceKm,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func printMatches(w io.Writer, matches []app.Match) {
	if len(matches) == 0 {
		fmt.Fprintln(w, "No offer sessions match this request yet.")
		return
	}
	for i, m := range matches {
		fmt.Fprintf(w, "%d. %s (%s), %s — score %.0f\n", i+1, m.Offer.Title, m.Offer.OrgName,
			m.Session.Start.In(app.London).Format("Mon 2 Jan 2006 15:04"), m.Score)
		for _, r := range m.Reasons {
			fmt.Fprintf(w, "   - %s\n", r)
		}
	}
}

// userCommand runs "user add --email E --org ID --role owner".
func userCommand(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	sub, rest := splitFirst(args)
	if sub != "add" {
		return usageError{"user needs: user add --email E --org ID --role owner|member"}
	}
	fs := newFlags("user add")
	email := fs.String("email", "", "the member's email")
	org := fs.String("org", "", "organisation id, school URN or coordinator")
	role := fs.String("role", app.RoleMember, "owner or member")
	if err := parseFlags(fs, rest); err != nil {
		return err
	}
	if *email == "" || *org == "" {
		return usageError{"user add needs --email and --org"}
	}
	return withEngines(ctx, cfg, log, func(e *engines) error {
		if err := setUp(ctx, e, log); err != nil {
			return err
		}
		u, err := e.svc.AddUser(ctx, *email, *org, *role)
		if err != nil {
			return cliError(err)
		}
		fmt.Fprintf(stdout, "user %s added to organisation %s as %s\n", u.ID, u.OrgID, u.Role)
		return nil
	})
}

// tokenCommand prints a new API token for a user.
func tokenCommand(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, stdout io.Writer) error {
	fs := newFlags("token")
	email := fs.String("email", "", "the user's email")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *email == "" {
		return usageError{"token needs --email"}
	}
	return withEngines(ctx, cfg, log, func(e *engines) error {
		secret, err := e.svc.IssueAPIToken(ctx, *email)
		if err != nil {
			return cliError(err)
		}
		fmt.Fprintln(stdout, secret)
		return nil
	})
}

// splitFirst separates a leading positional argument from flags.
func splitFirst(args []string) (string, []string) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[0], args[1:]
	}
	return "", args
}

// cliError shows a domain error's safe message, with field problems.
func cliError(err error) error {
	if app.ErrorCode(err) == app.EInternal {
		return err
	}
	fields := app.FieldErrors(err)
	if len(fields) == 0 {
		return fmt.Errorf("%s", app.ErrorMessage(err))
	}
	msg := "please correct:"
	for _, f := range fields {
		msg += fmt.Sprintf("\n  %s: %s", f.Field, f.Message)
	}
	return fmt.Errorf("%s", msg)
}
