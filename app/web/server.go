package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/session"

	"github.com/encounters/encounters/app"
)

// Config is what the web server needs from the command line. The zero value
// of every field but Log has a working default.
type Config struct {
	// Addr is the address Listen was asked for, for logs only.
	Addr string
	// BaseURL is the public address, without a trailing slash.
	BaseURL string
	// SecureCookies marks cookies Secure and gives the session cookie the
	// __Host- prefix. Turn it off only for plain-http local development.
	SecureCookies bool
	// Log receives one line per fault; it never carries personal data.
	Log *slog.Logger
	// Health reports each engine for GET /healthz. Nil pings the store.
	Health func(ctx context.Context) HealthReport
	// RequestTimeout bounds the work of one request. Default 15 seconds.
	RequestTimeout time.Duration
	// BodyLimit is the largest request body accepted. Default 1 MiB.
	BodyLimit int
	// Limits keeps rate-limit counters; nil keeps them in memory, which
	// counts per instance.
	Limits fiber.Storage
	// ProxyHeader names the header carrying the client address when the
	// server sits behind a proxy ("X-Forwarded-For"); empty uses the peer.
	ProxyHeader string
}

// Server is the Encounters web front end: pages, the JSON API and assets.
type Server struct {
	svc      *app.Service
	cfg      Config
	log      *slog.Logger
	app      *fiber.App
	sessions *session.Store
	views    *views
	assets   *assets
}

// New builds the server and registers every route. sessions keeps the
// server-side session data (the Mongo-backed storage in production).
func New(svc *app.Service, sessions fiber.Storage, cfg Config) (*Server, error) {
	if svc == nil || sessions == nil {
		return nil, errors.New("web: a service and a session storage are required")
	}
	cfg = withDefaults(cfg)
	s := &Server{svc: svc, cfg: cfg, log: cfg.Log}

	var err error
	if s.assets, err = loadAssets(); err != nil {
		return nil, fmt.Errorf("load assets: %w", err)
	}
	if s.views, err = loadViews(s.funcs()); err != nil {
		return nil, fmt.Errorf("load views: %w", err)
	}

	s.sessions = newSessionStore(sessions, cfg.SecureCookies)
	s.app = fiber.New(fiber.Config{
		AppName:      "encounters",
		ErrorHandler: s.handleError,
		BodyLimit:    cfg.BodyLimit,
		// Headers and query strings up to 16 KiB reach the handlers, which
		// answer an over-long field with a message at that field.
		ReadBufferSize:        16 << 10,
		Immutable:             true,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           2 * time.Minute,
		DisableStartupMessage: true,
		ProxyHeader:           cfg.ProxyHeader,
	})
	s.routes()
	return s, nil
}

func withDefaults(cfg Config) Config {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 15 * time.Second
	}
	if cfg.BodyLimit <= 0 {
		cfg.BodyLimit = 1 << 20
	}
	return cfg
}

// App returns the Fiber application, for app.Test in tests.
func (s *Server) App() *fiber.App { return s.app }

// Listen serves on ln until Shutdown.
func (s *Server) Listen(ln net.Listener) error {
	s.log.Info("web server listening", slog.String("addr", ln.Addr().String()))
	return s.app.Listener(ln)
}

// Shutdown stops accepting connections and waits, until ctx ends, for
// requests in flight to finish.
func (s *Server) Shutdown(ctx context.Context) error {
	return s.app.ShutdownWithContext(ctx)
}

// routes registers the middleware and every area's routes, in order.
func (s *Server) routes() {
	s.useMiddleware()

	s.registerAuthRoutes(s.app)
	s.registerAccountRoutes(s.app)
	s.registerCoordinatorRoutes(s.app)
	s.registerMarketRoutes(s.app)
	s.registerBookingRoutes(s.app)
	s.registerEventRoutes(s.app)

	api := s.app.Group("/api/v1")
	s.registerAPIRoutes(api)
	s.registerBookingAPI(api)
	s.registerEventAPI(api)

	s.app.Use(s.showNotFound)
}

// ctx returns a context for the service calls of one request: the
// request's own context with the configured timeout. Fiber's *Ctx is
// pooled and must never be kept or passed down.
func (s *Server) ctx(c *fiber.Ctx) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.UserContext(), s.cfg.RequestTimeout)
}
