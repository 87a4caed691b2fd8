package config

import (
	"os"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

func TestLoadDefaultsRunEverythingEmbedded(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatalf("Load with no variables: %v", err)
	}
	if c.Addr != "127.0.0.1:3000" || c.DataDir != "data" || c.BaseURL != "http://127.0.0.1:3000" {
		t.Errorf("defaults: addr=%q data=%q base=%q", c.Addr, c.DataDir, c.BaseURL)
	}
	if c.MongoURI != "" || c.MeiliURL != "" || c.SMTPURL != "" || c.StripeEnabled() {
		t.Errorf("defaults must leave every external engine off: %+v", c)
	}
	if c.SecureCookies {
		t.Error("plain-http default must not use Secure cookies")
	}
}

func TestLoadNamesEveryBadValueAtOnce(t *testing.T) {
	_, err := Load(env(map[string]string{
		"ENCOUNTERS_ADDR":   "nonsense",
		"MONGODB_URI":       "http://example",
		"LOG_LEVEL":         "loud",
		"REQUEST_TIMEOUT":   "-3s",
		"MEILISEARCH_INDEX": "bad name!",
	}))
	if err == nil {
		t.Fatal("Load accepted bad values")
	}
	for _, name := range []string{"ENCOUNTERS_ADDR", "MONGODB_URI", "LOG_LEVEL", "REQUEST_TIMEOUT", "MEILISEARCH_INDEX"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
}

func TestDescribeHidesSecrets(t *testing.T) {
	vars := map[string]string{"SMTP_URL": "smtp://u:hunter2@mail:587", "ENCOUNTERS_ADDR": "127.0.0.1:8080"}
	c, err := Load(env(vars))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(c.Describe(env(vars)), "\n")
	if strings.Contains(got, "hunter2") {
		t.Errorf("Describe printed a secret: %s", got)
	}
	if !strings.Contains(got, "ENCOUNTERS_ADDR=127.0.0.1:8080") || !strings.Contains(got, "SMTP_URL=(set)") {
		t.Errorf("Describe = %s", got)
	}
}

func TestSecureCookiesFollowHTTPSBaseURL(t *testing.T) {
	c, err := Load(env(map[string]string{"ENCOUNTERS_BASE_URL": "https://encounters.example.org/"}))
	if err != nil {
		t.Fatal(err)
	}
	if !c.SecureCookies || c.BaseURL != "https://encounters.example.org" {
		t.Errorf("secure=%v base=%q", c.SecureCookies, c.BaseURL)
	}
}

func TestREADMEListsEveryOption(t *testing.T) {
	raw, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range Options {
		if !strings.Contains(string(raw), "`"+o.Env+"`") {
			t.Errorf("README.md does not list %s", o.Env)
		}
	}
}
