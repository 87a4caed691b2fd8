package main

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestCommandLineMistakesAreUsageErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"import without a file", []string{"import", "schools"}, "import schools FILE"},
		{"import of something else", []string{"import", "offers", "x.csv"}, "import schools FILE"},
		{"seed without --demo", []string{"seed"}, "--demo"},
		{"match without an id", []string{"match"}, "REQUEST_ID"},
		{"user without add", []string{"user", "remove"}, "user add"},
		{"user add without flags", []string{"user", "add"}, "--email and --org"},
		{"token without email", []string{"token"}, "--email"},
		{"unknown flag", []string{"token", "--mail", "a@b.test"}, "token"},
		{"serve with an argument", []string{"serve", "now"}, "serve takes no arguments"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("ENCOUNTERS_DATA_DIR", t.TempDir())
			err := run(context.Background(), tc.args, io.Discard, io.Discard)
			var u usageError
			if !errors.As(err, &u) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("run(%q) = %v, want a usage error mentioning %q", tc.args, err, tc.want)
			}
		})
	}
}

func TestBadConfigurationIsReportedBeforeAnythingStarts(t *testing.T) {
	t.Setenv("ENCOUNTERS_ADDR", "not an address")
	err := run(context.Background(), nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "ENCOUNTERS_ADDR") {
		t.Errorf("run with a bad address = %v", err)
	}
}
