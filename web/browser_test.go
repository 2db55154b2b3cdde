package web_test

// Browser tests: the classroom page in headless Chromium (Debian's chromium
// package), driven with chromedp against a real node started in-process. Each
// page runs in its own browser context (its own storage, as another tablet
// would), and tests assert on window.homeroom, the page's read-only state
// hook, never on pixels. A screenshot of each page's final state is saved
// under testdata/artifacts/ (or $HOMEROOM_ARTIFACTS) for people to look at.
//
// Without Chromium, the tests try scripts/install-chromium.sh (apt-get) once,
// and skip, saying why, only when that fails too.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/homeroom-edu/homeroom/rooms/catalog"
	"github.com/homeroom-edu/homeroom/sync/gateway"
	"github.com/homeroom-edu/homeroom/sync/gateway/gatewaytest"
	"github.com/homeroom-edu/homeroom/web"
)

// waitTimeout bounds every wait for a page state.
const waitTimeout = 15 * time.Second

// chrome is the one browser process the tests share.
var chrome struct {
	once    sync.Once
	ctx     context.Context
	stop    func()
	dataDir string
	skip    string
	err     error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if chrome.stop != nil {
		chrome.stop()
	}
	if chrome.dataDir != "" {
		os.RemoveAll(chrome.dataDir)
	}
	os.Exit(code)
}

// chromiumPath finds Chromium, installing Debian's package when it is
// missing; skip says why there is none.
func chromiumPath() (path, skip string) {
	find := func() string {
		for _, name := range []string{"chromium", "chromium-browser"} {
			if p, err := exec.LookPath(name); err == nil {
				return p
			}
		}
		return ""
	}
	if p := find(); p != "" {
		return p, ""
	}
	script, _ := filepath.Abs("../scripts/install-chromium.sh")
	out, err := exec.Command(script).CombinedOutput()
	if p := find(); p != "" {
		return p, ""
	}
	return "", fmt.Sprintf("no Chromium, and %s could not install it (%v):\n%s", script, err, out)
}

// browser returns the shared browser's context, starting it on first use.
func browser(t *testing.T) context.Context {
	t.Helper()
	chrome.once.Do(func() {
		path, skip := chromiumPath()
		if skip != "" {
			chrome.skip = skip
			return
		}
		chrome.dataDir, chrome.err = os.MkdirTemp("", "homeroom-chromium-")
		if chrome.err != nil {
			return
		}
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path),
			chromedp.Flag("headless", true),
			chromedp.Flag("no-sandbox", true),
			chromedp.Flag("disable-gpu", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("no-first-run", true),
			chromedp.Flag("disable-quic", true),
			chromedp.UserDataDir(chrome.dataDir),
			chromedp.WindowSize(1280, 800),
		)
		allocCtx, stopAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, stopBrowser := chromedp.NewContext(allocCtx)
		chrome.ctx = ctx
		chrome.stop = func() {
			stopBrowser()
			stopAlloc()
		}
		chrome.err = chromedp.Do(ctx) // starts the browser (no timeout: it would stop it)
	})
	if chrome.skip != "" {
		t.Skip(chrome.skip)
	}
	if chrome.err != nil {
		t.Fatalf("start Chromium: %v", chrome.err)
	}
	return chrome.ctx
}

// classroom is a node serving the page and /ws on one origin, as
// `homeroom serve` does. The node behind /ws can be replaced (restart).
type classroom struct {
	env *gatewaytest.Env
	url string // http://127.0.0.1:port
	ws  atomic.Pointer[http.Handler]
}

func startClassroom(t *testing.T) *classroom {
	t.Helper()
	c := &classroom{env: gatewaytest.Start(t, gateway.Config{})}
	c.setNode(c.env)
	mux := http.NewServeMux()
	mux.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) { (*c.ws.Load()).ServeHTTP(w, r) })
	mux.Handle("/", web.Handler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c.url = srv.URL
	return c
}

func (c *classroom) setNode(env *gatewaytest.Env) {
	h := env.Server.Handler()
	c.env = env
	c.ws.Store(&h)
}

// restart stops the node gracefully (clients are told to reconnect with
// 1012) and, after down, starts a new one on the same store and catalog.
func (c *classroom) restart(t *testing.T, down func()) {
	t.Helper()
	old := c.env
	old.Stop()
	down()
	c.setNode(gatewaytest.StartWith(t, gateway.Config{}, gatewaytest.Options{Docs: old.Docs, Catalog: old.Catalog}))
}

// link is the class page of a session for a user enrolled with role.
func (c *classroom) link(t *testing.T, session, user string, role catalog.Role) string {
	return c.url + "/s/" + session + "#token=" + c.env.Token(t, session, user, role)
}

// page is one person's browser tab.
type page struct {
	t    *testing.T
	name string
	ctx  context.Context

	mu   sync.Mutex
	done bool
}

// openPage opens the class page for user in a fresh browser context and
// waits until it is live.
func openPage(t *testing.T, c *classroom, session, user string, role catalog.Role) *page {
	t.Helper()
	p := openURL(t, user, c.link(t, session, user, role))
	p.waitFor("live", `window.homeroom?.state().connection === 'live'`)
	return p
}

// openURL opens a page in a fresh browser context (its own storage, as
// another tablet) and waits only for the page's test hook.
func openURL(t *testing.T, name, url string) *page {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser(t), chromedp.WithNewBrowserContext())
	p := &page{t: t, name: name, ctx: ctx}
	t.Cleanup(func() {
		p.mu.Lock()
		p.done = true
		p.mu.Unlock()
		cancel()
	})
	messages := chromedp.Console(ctx)
	go func() {
		for msg, err := range messages {
			if err != nil {
				return
			}
			if msg.Type == chromedp.ConsoleError || msg.IsException() || msg.Type == chromedp.ConsoleWarning {
				p.logf("console: %s", msg)
			}
		}
	}()
	p.do(chromedp.Navigate(url))
	p.waitFor("the page", `window.homeroom !== undefined`)
	return p
}

func (p *page) logf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.done {
		p.t.Logf("[%s] "+format, append([]any{p.name}, args...)...)
	}
}

func (p *page) do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, waitTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.t.Fatalf("[%s] %v", p.name, err)
	}
}

// eval evaluates a JavaScript expression and decodes its JSON value into out.
func (p *page) eval(expr string, out any) error {
	ctx, cancel := context.WithTimeout(p.ctx, waitTimeout)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(raw, out)
}

// js evaluates expr into T, failing the test on error.
func js[T any](p *page, expr string) T {
	p.t.Helper()
	var v T
	if err := p.eval(expr, &v); err != nil {
		p.t.Fatalf("[%s] %s: %v", p.name, expr, err)
	}
	return v
}

// waitFor polls until the expression is truthy; on timeout it fails with the
// page's state and saves a screenshot.
func (p *page) waitFor(what, expr string) {
	p.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	var last error
	for time.Now().Before(deadline) {
		var ok bool
		if last = p.eval(`(async () => Boolean(`+expr+`))()`, &ok); last == nil && ok {
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	var state any
	_ = p.eval(`window.homeroom ? {state: homeroom.state(), notices: homeroom.notices(), ui: homeroom.ui()} : document.body.innerText`, &state)
	b, _ := json.MarshalIndent(state, "", "  ")
	p.screenshot("timeout")
	p.t.Fatalf("[%s] waited %v for %s (%s); last error %v; state:\n%s", p.name, waitTimeout, what, expr, last, b)
}

// boardToClient maps board coordinates to viewport coordinates (the view
// must not move while the mapping is used).
func (p *page) boardToClient() func(x, y float64) (float64, float64) {
	p.t.Helper()
	o := js[[2]float64](p, `homeroom.toClient(0, 0)`)
	u := js[[2]float64](p, `homeroom.toClient(100, 100)`)
	sx, sy := (u[0]-o[0])/100, (u[1]-o[1])/100
	return func(x, y float64) (float64, float64) { return o[0] + x*sx, o[1] + y*sy }
}

// draw drags the pointer along board points with real input events: a
// mouse, or a pen with varying pressure.
func (p *page) draw(pen bool, pts ...[2]float64) {
	p.t.Helper()
	to := p.boardToClient()
	kind := input.DispatchMouseEventPointerTypeMouse
	if pen {
		kind = input.DispatchMouseEventPointerTypePen
	}
	p.do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for i, pt := range pts {
			x, y := to(pt[0], pt[1])
			ev := input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMouseMoved, X: x, Y: y,
				Button: input.MouseButtonLeft, Buttons: 1, PointerType: kind}
			if pen {
				ev.Force = 0.3 + 0.5*float64(i)/float64(len(pts))
			}
			if i == 0 {
				ev.Type, ev.ClickCount = input.DispatchMouseEventTypeMousePressed, 1
			}
			if _, err := chromedp.Call(ctx, input.DispatchMouseEvent, ev); err != nil {
				return err
			}
		}
		last := pts[len(pts)-1]
		x, y := to(last[0], last[1])
		_, err := chromedp.Call(ctx, input.DispatchMouseEvent, input.DispatchMouseEventParams{
			Type: input.DispatchMouseEventTypeMouseReleased, X: x, Y: y, Button: input.MouseButtonLeft, ClickCount: 1, PointerType: kind})
		return err
	}))
}

// zigzag is a stroke of n points from (x, y), 12 board units apart.
func zigzag(x, y float64, n int) [][2]float64 {
	pts := make([][2]float64, n)
	for i := range pts {
		pts[i] = [2]float64{x + float64(i)*12, y + float64(i%2)*14}
	}
	return pts
}

// click clicks the element a CSS selector finds.
func (p *page) click(sel string) {
	p.t.Helper()
	p.do(chromedp.Click(chromedp.CSS(sel)))
}

// key presses keys, with modifiers.
func (p *page) key(keys string, mods ...chromedp.Modifier) {
	p.t.Helper()
	p.do(chromedp.KeyEvent(keys, chromedp.KeyModifiers(mods...)))
}

// board is the page's board as the hook reports it: stroke id → stroke.
type stroke struct {
	ID       string    `json:"id"`
	Author   string    `json:"author"`
	Tool     string    `json:"tool"`
	Color    string    `json:"color"`
	Width    float64   `json:"width"`
	Points   []float64 `json:"points"`
	Pressure []float64 `json:"pressure"`
	Text     string    `json:"text"`
}

func (p *page) board() map[string]stroke {
	p.t.Helper()
	return js[map[string]stroke](p, `homeroom.doc()?.board ?? {}`)
}

// artifacts is where screenshots go: $HOMEROOM_ARTIFACTS or testdata/artifacts.
func artifacts(t *testing.T) string {
	dir := os.Getenv("HOMEROOM_ARTIFACTS")
	if dir == "" {
		dir, _ = filepath.Abs(filepath.Join("testdata", "artifacts"))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// screenshot saves the page's viewport as <Test>-<page>-<label>.png.
func (p *page) screenshot(label string) {
	ctx, cancel := context.WithTimeout(p.ctx, waitTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Logf("[%s] screenshot: %v", p.name, err)
		return
	}
	name := strings.NewReplacer("/", "_", " ", "_").Replace(fmt.Sprintf("%s-%s-%s.png", p.t.Name(), p.name, label))
	path := filepath.Join(artifacts(p.t), name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Logf("[%s] screenshot: %v", p.name, err)
		return
	}
	p.t.Logf("[%s] screenshot %s", p.name, path)
}

// Modifier keys for key.
const (
	ctrl  = chromedp.ModifierCtrl
	shift = chromedp.ModifierShift
)

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// offline cuts the page off the network, or reconnects it, as a tablet
// losing its Wi-Fi: requests fail (the service worker's too) and the
// browser reports navigator.onLine false.
func (p *page) offline(off bool) {
	p.t.Helper()
	p.do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		cond := &network.Conditions{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}
		if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			EmulateOfflineServiceWorker: &off, MatchedNetworkConditions: []*network.Conditions{cond}}); err != nil {
			return err
		}
		_, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{
			Offline: off, DownloadThroughput: -1, UploadThroughput: -1})
		return err
	}))
}
