// Package config loads the one Config of Encounters from environment
// variables. Every option has a default that runs the whole product on one
// machine with embedded engines; setting MONGODB_URI, MEILISEARCH_URL or
// SMTP_URL hands a concern to the real engine.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is every setting of the product, parsed once in cmd and passed down.
type Config struct {
	Addr            string
	BaseURL         string
	DataDir         string
	MongoURI        string
	MongoDatabase   string
	FerretPostgres  string
	MeiliURL        string
	MeiliKey        string
	MeiliIndex      string
	SMTPURL         string
	MailFrom        string
	SecureCookies   bool
	ProxyHeader     string
	LogLevel        string
	LogFormat       string
	RequestTimeout  time.Duration
	ShutdownTimeout time.Duration
	StripeSecretKey string
	StripeWebhook   string
	StripeAPIURL    string
	HoldTime        time.Duration
	Worker          bool
}

// Option is one row of the configuration table: its environment name, its
// default, whether its value is secret (never printed), what it means, and
// how it is parsed into a Config.
type Option struct {
	Env     string
	Default string
	Secret  bool
	Help    string
	set     func(c *Config, v string) error
}

// Options is the configuration table, in the order the README lists it.
var Options = []Option{
	{
		Env: "ENCOUNTERS_ADDR", Default: "127.0.0.1:3000", Secret: false,
		Help: "Address the web server listens on.",
		set:  setAddr,
	},
	{
		Env: "ENCOUNTERS_BASE_URL", Default: "", Secret: false,
		Help: "Public address used in emails and links; defaults to " +
			"http://ENCOUNTERS_ADDR.",
		set: setBaseURL,
	},
	{
		Env: "ENCOUNTERS_DATA_DIR", Default: "./data", Secret: false,
		Help: "Folder for the embedded database, search index and .eml mail.",
		set:  setString(func(c *Config) *string { return &c.DataDir }),
	},
	{
		Env: "MONGODB_URI", Default: "", Secret: true,
		Help: "MongoDB connection string; when empty, FerretDB runs in-process on " +
			"SQLite in the data folder.",
		set: setURL("MONGODB_URI", []string{"mongodb", "mongodb+srv"}, func(c *Config) *string { return &c.MongoURI }),
	},
	{
		Env: "MONGODB_DATABASE", Default: "encounters", Secret: false,
		Help: "Database name.",
		set:  setName("MONGODB_DATABASE", func(c *Config) *string { return &c.MongoDatabase }),
	},
	{
		Env: "FERRETDB_POSTGRESQL_URL", Default: "", Secret: true,
		Help: "When set (and MONGODB_URI is not), the embedded FerretDB keeps its " +
			"data in this PostgreSQL database instead of SQLite.",
		set: setURL("FERRETDB_POSTGRESQL_URL", []string{"postgres", "postgresql"}, func(c *Config) *string { return &c.FerretPostgres }),
	},
	{
		Env: "MEILISEARCH_URL", Default: "", Secret: false,
		Help: "Meilisearch address; when empty, a Bleve index in the data folder is " +
			"used.",
		set: setURL("MEILISEARCH_URL", []string{"http", "https"}, func(c *Config) *string { return &c.MeiliURL }),
	},
	{
		Env: "MEILISEARCH_KEY", Default: "", Secret: true,
		Help: "Meilisearch API key.",
		set:  setString(func(c *Config) *string { return &c.MeiliKey }),
	},
	{
		Env: "MEILISEARCH_INDEX", Default: "offers", Secret: false,
		Help: "Meilisearch index name.",
		set:  setName("MEILISEARCH_INDEX", func(c *Config) *string { return &c.MeiliIndex }),
	},
	{
		Env: "SMTP_URL", Default: "", Secret: true,
		Help: "SMTP server, smtp://user:pass@host:587 (STARTTLS) or smtps://...:465; " +
			"when empty, mail is written as .eml files to DATA_DIR/mail.",
		set: setURL("SMTP_URL", []string{"smtp", "smtps"}, func(c *Config) *string { return &c.SMTPURL }),
	},
	{
		Env: "MAIL_FROM", Default: "Encounters <no-reply@encounters.localhost>", Secret: false,
		Help: "Sender of every email.",
		set:  setString(func(c *Config) *string { return &c.MailFrom }),
	},
	{
		Env: "ENCOUNTERS_SECURE_COOKIES", Default: "auto", Secret: false,
		Help: "true, false or auto (true when BASE_URL is https). Secure cookies use " +
			"the __Host- prefix.",
		set: setSecure,
	},
	{
		Env: "ENCOUNTERS_PROXY_HEADER", Default: "", Secret: false,
		Help: "Header carrying the client address when behind a proxy (X-Forwarded-" +
			"For); empty trusts the connection's own address.",
		set: setHeaderName,
	},
	{
		Env: "LOG_LEVEL", Default: "info", Secret: false,
		Help: "debug, info, warn or error.",
		set:  setChoice("LOG_LEVEL", []string{"debug", "info", "warn", "error"}, func(c *Config) *string { return &c.LogLevel }),
	},
	{
		Env: "LOG_FORMAT", Default: "text", Secret: false,
		Help: "text or json.",
		set:  setChoice("LOG_FORMAT", []string{"text", "json"}, func(c *Config) *string { return &c.LogFormat }),
	},
	{
		Env: "REQUEST_TIMEOUT", Default: "15s", Secret: false,
		Help: "Longest time one web request may take.",
		set:  setDuration("REQUEST_TIMEOUT", func(c *Config) *time.Duration { return &c.RequestTimeout }),
	},
	{
		Env: "SHUTDOWN_TIMEOUT", Default: "20s", Secret: false,
		Help: "How long requests in flight may finish after SIGINT or SIGTERM.",
		set:  setDuration("SHUTDOWN_TIMEOUT", func(c *Config) *time.Duration { return &c.ShutdownTimeout }),
	},
	{
		Env: "STRIPE_SECRET_KEY", Default: "", Secret: true,
		Help: "Stripe secret key for sponsorship payments; when empty, card payment " +
			"is not offered.",
		set: setString(func(c *Config) *string { return &c.StripeSecretKey }),
	},
	{
		Env: "STRIPE_WEBHOOK_SECRET", Default: "", Secret: true,
		Help: "Secret that signs Stripe webhooks.",
		set:  setString(func(c *Config) *string { return &c.StripeWebhook }),
	},
	{
		Env: "STRIPE_API_URL", Default: "", Secret: false,
		Help: "Another Stripe-compatible API address (stripe-mock in tests).",
		set:  setURL("STRIPE_API_URL", []string{"http", "https"}, func(c *Config) *string { return &c.StripeAPIURL }),
	},
	{
		Env: "ENCOUNTERS_HOLD_TIME", Default: "48h", Secret: false,
		Help: "How long the first organisation on a session's waitlist may take " +
			"places that free up before they pass to the next.",
		set: setDuration("ENCOUNTERS_HOLD_TIME", func(c *Config) *time.Duration { return &c.HoldTime }),
	},
	{
		Env: "ENCOUNTERS_WORKER", Default: "true", Secret: false,
		Help: "Whether this instance sends queued email and runs the booking " +
			"sweeps (reminders, waitlist holds). Workers lease each email, so " +
			"several instances may all run one.",
		set: setWorker,
	},
}

// Load builds a Config from lookup (os.LookupEnv in production), using each
// option's default where a variable is unset or empty. The error names every
// bad value at once.
func Load(lookup func(string) (string, bool)) (Config, error) {
	var c Config
	var errs []error
	for _, o := range Options {
		v, ok := lookup(o.Env)
		if !ok || strings.TrimSpace(v) == "" {
			v = o.Default
		}
		if err := o.set(&c, strings.TrimSpace(v)); err != nil {
			errs = append(errs, err)
		}
	}
	if err := c.Validate(); err != nil {
		errs = append(errs, err)
	}
	return c, errors.Join(errs...)
}

// Validate checks the values that depend on each other and fills derived
// defaults.
func (c *Config) Validate() error {
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.Addr
	}
	if c.DataDir == "" {
		return errors.New("ENCOUNTERS_DATA_DIR must not be empty")
	}
	c.DataDir = filepath.Clean(c.DataDir)
	if c.StripeSecretKey != "" && c.StripeWebhook == "" {
		return errors.New("STRIPE_WEBHOOK_SECRET must be set when STRIPE_SECRET_KEY is set")
	}
	return nil
}

// StripeEnabled reports whether card payments are configured.
func (c Config) StripeEnabled() bool { return c.StripeSecretKey != "" }

// Describe returns the settings as name=value lines with secrets hidden, for
// the log at start.
func (c Config) Describe(lookup func(string) (string, bool)) []string {
	var out []string
	for _, o := range Options {
		v, ok := lookup(o.Env)
		switch {
		case !ok || v == "":
			continue
		case o.Secret:
			v = "(set)"
		}
		out = append(out, o.Env+"="+v)
	}
	return out
}

func setAddr(c *Config, v string) error {
	host, port, err := net.SplitHostPort(v)
	if err != nil {
		return fmt.Errorf("ENCOUNTERS_ADDR must be host:port, like 127.0.0.1:3000 (got %q)", v)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("ENCOUNTERS_ADDR has a bad port %q", port)
	}
	_ = host
	c.Addr = v
	return nil
}

func setBaseURL(c *Config, v string) error {
	if v == "" {
		return nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("ENCOUNTERS_BASE_URL must be an http or https address (got %q)", v)
	}
	c.BaseURL = strings.TrimSuffix(v, "/")
	return nil
}

func setSecure(c *Config, v string) error {
	switch strings.ToLower(v) {
	case "auto":
		c.SecureCookies = strings.HasPrefix(c.BaseURL, "https://")
	case "true", "1", "yes":
		c.SecureCookies = true
	case "false", "0", "no":
		c.SecureCookies = false
	default:
		return fmt.Errorf("ENCOUNTERS_SECURE_COOKIES must be true, false or auto (got %q)", v)
	}
	return nil
}

func setString(field func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error {
		*field(c) = v
		return nil
	}
}

func setName(env string, field func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error {
		for _, r := range v {
			if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
				return fmt.Errorf("%s may hold only letters, digits, - and _ (got %q)", env, v)
			}
		}
		*field(c) = v
		return nil
	}
}

func setChoice(env string, choices []string, field func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error {
		v = strings.ToLower(v)
		for _, ch := range choices {
			if v == ch {
				*field(c) = v
				return nil
			}
		}
		return fmt.Errorf("%s must be one of %s (got %q)", env, strings.Join(choices, ", "), v)
	}
}

func setURL(env string, schemes []string, field func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error {
		if v == "" {
			*field(c) = ""
			return nil
		}
		u, err := url.Parse(v)
		if err == nil && u.Host != "" {
			for _, s := range schemes {
				if u.Scheme == s {
					*field(c) = v
					return nil
				}
			}
		}
		return fmt.Errorf("%s must be a %s address", env, strings.Join(schemes, " or "))
	}
}

func setDuration(env string, field func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("%s must be a positive duration like 15s (got %q)", env, v)
		}
		*field(c) = d
		return nil
	}
}

func setWorker(c *Config, v string) error {
	switch strings.ToLower(v) {
	case "true", "1", "yes":
		c.Worker = true
	case "false", "0", "no":
		c.Worker = false
	default:
		return fmt.Errorf("ENCOUNTERS_WORKER must be true or false (got %q)", v)
	}
	return nil
}

func setHeaderName(c *Config, v string) error {
	for _, r := range v {
		if !(r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return fmt.Errorf("ENCOUNTERS_PROXY_HEADER must be a header name like X-Forwarded-For (got %q)", v)
		}
	}
	c.ProxyHeader = v
	return nil
}
