package routermatrix

import "strings"

// hostilePaths are request-targets an attacker's page can make a browser
// send (fetch sends %2F, %2e and ; as written), plus the raw-socket forms a
// browser never sends but a router may still serve. Each is sent for GET
// and as a DELETE preflight; "{host}" is the server's address.
var hostilePaths = []string{
	// Controls: the clean paths of each policy.
	"/admin/users",
	"/admin/users/7",
	"/users",
	// An encoded slash joins or splits segments: ServeMux reads one
	// segment, a decoding router two. The exploit is the first.
	"/admin%2Fusers",
	"/admin%2fusers",
	"/admin%2Fusers/7",
	"/%2Fadmin/users",
	"/admin/users%2F7",
	"/admin%252Fusers",
	"/%2F%2Fadmin/users",
	"/admin/users%2F..%2F..%2Fusers",
	// Dot segments, encoded or not; the second exploit is the first.
	"/x/..%2Fadmin/users",
	"/x/..%2fadmin/users",
	"/x/%2e%2e/admin/users",
	"/x/%2E%2E%2Fadmin/users",
	"/x/../admin/users",
	"/users/../admin/users",
	"/admin/../users",
	"/admin/..%2Fusers",
	"/./admin/users",
	"/admin/./users",
	"/admin/%2e/users",
	"/admin/..",
	"/admin/users/..",
	"/users/..%2Fadmin/users",
	// A byte browsers send as is ("|") but url.URL.EscapedPath escapes:
	// RawPath is then not valid, EscapedPath() is the decoded path split at
	// every %2F, and only RawPath keeps the %2F inside its segment, for the
	// routers that read RawPath (chi, echo, gin with UseRawPath), and clean
	// it (chi's CleanPath, gin's RemoveExtraSlash).
	"/admin%2Fusers|",
	"/admin%2Fusers/7|",
	"/x%2Fy/../admin/users/7",
	"/x%2Fy/../admin/users/7|", // chi's CleanPath and gin's UseRawPath+RemoveExtraSlash: the admin handler
	"/admin/x%2F../../users/7|",
	// Repeated slashes.
	"//admin/users",
	"/admin//users",
	"/x//admin/users",
	// An encoded letter: every router decodes it to the same name.
	"/%61dmin/users",
	// Case.
	"/ADMIN/users",
	"/Admin/Users/7",
	"/ADM%C4%B0N/users", // a dotted capital I (U+0130), which unicode.ToLower maps to "i"
	"/adm%C4%B1n/users", // a dotless small i (U+0131), which upper-cases to "I"
	"/admin/u%C5%BFers", // a long s (U+017F), which upper-cases to "S"
	// Trailing slash added and removed.
	"/admin/users/",
	"/admin/users/7/",
	"/admin",
	// Path parameters in the ;-style of servlet containers.
	"/admin;x=1/users",
	"/admin/users;jsessionid=1",
	"/admin;/users",
	"/x;/../admin/users",
	// NUL.
	"/admin%00/users",
	"/admin/users%00",
	// Overlong: 10 KB in one segment, and 10 KB of segments ahead of a dot-dot.
	"/admin/users/" + strings.Repeat("7", 10<<10),
	"/x/" + strings.Repeat("a/", 5<<10) + "..%2F" + strings.Repeat("..%2F", 5<<10) + "admin/users",
	// Absolute-form request-targets (RFC 9112, 3.2.2).
	"http://{host}/admin/users",
	"http://{host}/admin%2Fusers",
	"http://{host}/x/..%2Fadmin/users",
	"http://other.example/admin%2Fusers",
	"http://{host}",
	// Asterisk-form.
	"*",
}

// normalPaths are ordinary requests each policy must keep answering, so the
// matrix cannot pass by refusing everything: the target, the origin whose
// policy it is, and the method a preflight asks for.
var normalPaths = []struct {
	target, origin, method string
}{
	{"/admin/users", adminOrigin, "GET"},
	{"/admin/users/7", adminOrigin, "GET"},
	{"/admin/users/7", adminOrigin, "DELETE"},
	{"/users", wwwOrigin, "GET"},
	{"/users/Alice", wwwOrigin, "GET"},
	{"/users/Alice", wwwOrigin, "DELETE"},
	{"/users/a%2Fb", wwwOrigin, "GET"},
	{"/x/a/b", wwwOrigin, "GET"},
}
