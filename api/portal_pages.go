package api

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"net/netip"
	"sort"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/weaklink/weaklink/internal/register"
)

//go:embed portal/pages.html portal/portal.css
var portalFiles embed.FS

var (
	portalCSS   = string(mustRead(portalFiles, "portal/portal.css"))
	portalPages = template.Must(template.New("portal").ParseFS(portalFiles, "portal/pages.html"))
	// portalCSP allows nothing but the page's own style element (by its hash), forms
	// posted to the service, and no framing: the pages run no script at all.
	portalCSP = "default-src 'none'; style-src 'sha256-" + sha256Base64(portalCSS) +
		"'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

// portalFormPath is the supplier's form, reached with the session cookie.
const portalFormPath = "/portal/assessment"

func mustRead(fs embed.FS, name string) []byte {
	b, err := fs.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return b
}

func sha256Base64(s string) string {
	sum := sha256.Sum256([]byte(s))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// portalPage is what every portal template renders.
type portalPage struct {
	Title, Supplier, Contact, Due string
	CSS                           template.CSS
	Next                          string // the link page's destination, also its meta refresh
	Message, Notice, NoticeKind   string
	Errors                        []formError
	CSRF                          string
	Version                       int
	SheetOpen                     bool // the spreadsheet section starts open (its upload was refused)
	Domains                       []formDomain
}

type formError struct{ Anchor, Text string }

type formDomain struct {
	Name      string
	Questions []formQuestion
}

type formQuestion struct {
	Key, Text, Guidance, Comment string
	Answer                       string // the chosen option's label, for the read-only page
	Optional, Missing            bool
	Options                      []formOption
	Files                        []formFile
}

type formFile struct{ ID, Name, Type, Size string }

type formOption struct {
	ID, Name, Value, Label string
	Checked                bool
}

// renderPortal answers a portal page: no caching, no referrer, the strict CSP.
func renderPortal(c *gin.Context, status int, name string, p portalPage) {
	p.CSS = template.CSS(portalCSS)
	var buf bytes.Buffer
	if err := portalPages.ExecuteTemplate(&buf, name, p); err != nil {
		panic(err) // a template that does not execute is a programming error; recovery logs it
	}
	portalHeaders(c)
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

func portalHeaders(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Security-Policy", portalCSP)
	c.Header("Referrer-Policy", "no-referrer")
}

// portalMessage answers a page that only says something: an ended session, a closed
// link, a refused form.
func portalMessage(c *gin.Context, status int, title, message, kind string) {
	renderPortal(c, status, "message", portalPage{Title: title, Message: message, NoticeKind: kind})
}

// withInvitation fills the page's header from the invitation and its view.
func (p portalPage) withInvitation(v register.PortalView) portalPage {
	p.Supplier = v.SupplierName
	p.Contact = v.Invitation.ContactName + " <" + v.Invitation.ContactEmail + ">"
	if v.Invitation.DueAt != nil {
		p.Due = v.Invitation.DueAt.UTC().Format("2 January 2006, 15:04 UTC")
	}
	return p
}

// formDomains lays the questionnaire out by domain, in the questionnaire's order,
// with the given answers and comments (what was saved, or what was just posted).
func formDomains(v register.PortalView, answers, comments map[string]string, missing map[string]bool) []formDomain {
	var out []formDomain
	index := map[string]int{}
	files := map[string][]formFile{}
	for _, f := range v.Evidence {
		files[f.QuestionKey] = append(files[f.QuestionKey], formFile{ID: f.ID, Name: f.FileName, Type: fileKind(f.MediaType), Size: fileSize(f.Size)})
	}
	for _, q := range v.Questionnaire.Questions {
		i, ok := index[q.Domain]
		if !ok {
			i = len(out)
			index[q.Domain] = i
			out = append(out, formDomain{Name: humanize(q.Domain)})
		}
		fq := formQuestion{Key: q.Key, Text: q.Text, Guidance: q.Guidance, Comment: comments[q.Key],
			Optional: q.Optional, Missing: missing[q.Key], Files: files[q.Key]}
		chosen := answers[q.Key]
		for _, o := range q.Options {
			fq.Options = append(fq.Options, formOption{ID: "a-" + q.Key + "-" + o, Name: "answer." + q.Key, Value: o,
				Label: humanize(o), Checked: o == chosen})
			if o == chosen {
				fq.Answer = humanize(o)
			}
		}
		// A radio group cannot be cleared once chosen, so "no answer yet" is an option.
		fq.Options = append(fq.Options, formOption{ID: "a-" + q.Key + "--", Name: "answer." + q.Key, Value: "",
			Label: "No answer yet", Checked: fq.Answer == ""})
		out[i].Questions = append(out[i].Questions, fq)
	}
	return out
}

// fileKind names a media type as a reader knows it.
func fileKind(mediaType string) string {
	switch mediaType {
	case register.MediaPDF:
		return "PDF"
	case register.MediaPNG:
		return "PNG image"
	case register.MediaJPEG:
		return "JPEG image"
	case register.MediaCSV:
		return "CSV"
	case register.MediaText:
		return "text"
	case register.MediaXLSX:
		return "Excel workbook"
	case register.MediaDOCX:
		return "Word document"
	}
	return mediaType
}

// fileSize gives a size in bytes as KB or MB (decimal, as file managers show them).
func fileSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d bytes", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.0f KB", float64(n)/1000)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1000/1000)
}

// humanize turns a key such as reviewed_within_12m into "Reviewed within 12 months":
// words joined by underscores, with the abbreviations questionnaires use spelled as
// a reader knows them. Questionnaires carry option values, not labels, so this is
// how an option reads on the form.
func humanize(key string) string {
	if label, ok := domainLabels[key]; ok {
		return label
	}
	if label, ok := valueLabels[key]; ok {
		return label
	}
	words := strings.Split(key, "_")
	for i, w := range words {
		if r, ok := wordLabels[w]; ok {
			words[i] = r
		}
	}
	s := strings.Join(words, " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// domainLabels name the built-in questionnaire's domains as headings.
var domainLabels = map[string]string{
	"access_control": "Access control", "backup_recovery": "Backup and recovery", "data_protection": "Data protection",
	"encryption": "Encryption", "governance": "Governance", "incident_response": "Incident response",
	"logging_monitoring": "Logging and monitoring", "malware_protection": "Malware protection",
	"patching_configuration": "Patching and configuration", "people_security": "People security",
	"subprocessor_management": "Sub-processor management",
}

// valueLabels are option values that read badly word by word.
var valueLabels = map[string]string{
	"at_least_6_monthly": "At least every 6 months", "within_1_working_day": "Within 1 working day",
	"central_12m_or_more": "Central, kept 12 months or more", "central_under_12m": "Central, kept under 12 months",
}

// wordLabels spell the abbreviations of option values.
var wordLabels = map[string]string{
	"iso27001": "ISO/IEC 27001", "soc2": "SOC 2", "type2": "Type 2", "n/a": "N/A", "uk": "UK", "eea": "EEA",
	"mfa": "MFA", "dpa": "DPA", "24x7": "24/7", "12m": "12 months", "6m": "6 months", "24h": "24 hours",
	"48h": "48 hours", "72h": "72 hours", "essentials": "Essentials", "plus": "Plus",
}

// missingQuestions turns a submit's field errors into the list the page shows,
// in questionnaire order.
func missingQuestions(v register.PortalView, fields []register.FieldError) ([]formError, map[string]bool) {
	missing := map[string]bool{}
	for _, f := range fields {
		if k, ok := strings.CutPrefix(f.Field, "answers."); ok {
			missing[k] = true
		}
	}
	var out []formError
	for _, q := range v.Questionnaire.Questions {
		if missing[q.Key] {
			out = append(out, formError{Anchor: "q-" + q.Key, Text: q.Text})
		}
	}
	return out, missing
}

// fieldProblems lists field errors other than missing answers for the page, with
// the question they concern where there is one.
func fieldProblems(v register.PortalView, fields []register.FieldError) []formError {
	text := map[string]string{}
	for _, q := range v.Questionnaire.Questions {
		text[q.Key] = q.Text
	}
	var out []formError
	for _, f := range fields {
		_, key, _ := strings.Cut(f.Field, ".")
		if t, ok := text[key]; ok {
			out = append(out, formError{Anchor: "q-" + key, Text: t + ": " + strings.ReplaceAll(f.Message, "_", " ")})
		} else {
			out = append(out, formError{Anchor: "main", Text: f.Field + " " + f.Message})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Anchor < out[j].Anchor })
	if len(out) > maxListedProblems { // a forged form can name any number of fields
		out = append(out[:maxListedProblems], formError{Anchor: "main", Text: fmt.Sprintf("and %d more", len(out)-maxListedProblems)})
	}
	return out
}

// maxListedProblems bounds the problems a refused form lists.
const maxListedProblems = 50

// The session cookie. Over HTTPS it carries the __Host- prefix, so that the browser
// keeps it to this origin, Secure and Path=/ (RFC 6265bis §4.1.3.2).
const (
	portalCookie       = "weaklink_portal"
	portalCookieSecure = "__Host-weaklink_portal"
)

// proxyNets are the addresses whose X-Forwarded-Proto is believed.
type proxyNets []netip.Prefix

func parseProxyNets(list []string) proxyNets {
	var out proxyNets
	for _, s := range list {
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
		} else if a, err := netip.ParseAddr(s); err == nil {
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
		}
	}
	return out
}

// https reports whether the browser reached the service over HTTPS: directly, or
// through a trusted proxy that says so in X-Forwarded-Proto.
func (n proxyNets) https(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if !strings.EqualFold(strings.TrimSpace(r.Header.Get("X-Forwarded-Proto")), "https") {
		return false
	}
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	for _, p := range n {
		if p.Contains(ap.Addr().Unmap()) {
			return true
		}
	}
	return false
}

// setSessionCookie gives the browser its session: HttpOnly, SameSite=Strict, and
// over HTTPS Secure with the __Host- prefix. No Expires or Max-Age: it ends with the
// browser session, and the server ends it sooner (register.PortalSessionLife).
func setSessionCookie(c *gin.Context, secure bool, token string) {
	name := portalCookie
	if secure {
		name = portalCookieSecure
	}
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: token, Path: "/", HttpOnly: true, Secure: secure,
		SameSite: http.SameSiteStrictMode})
}

// sessionToken reads the session cookie for the scheme the request came by.
func sessionToken(c *gin.Context, secure bool) string {
	name := portalCookie
	if secure {
		name = portalCookieSecure
	}
	v, err := c.Cookie(name)
	if err != nil {
		return ""
	}
	return v
}

// csrfToken is the form token of a session: an HMAC of a fixed label keyed by the
// session's token, so it needs no storage and differs per session (the OWASP
// "HMAC-based synchronizer token" pattern).
func csrfToken(session string) string {
	m := hmac.New(sha256.New, []byte(session))
	m.Write([]byte("weaklink portal form"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func csrfValid(session, token string) bool {
	return session != "" && hmac.Equal([]byte(csrfToken(session)), []byte(token))
}
