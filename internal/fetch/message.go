package fetch

// ConsoleMessage phrases a refusal of r the way Chromium's console does:
//
//	Access to fetch at 'URL' [(redirected from 'URL')] from origin 'ORIGIN' has been blocked by CORS policy: REASON
func (r *Request) ConsoleMessage(reason string) string {
	from := ""
	if r.InitialURL != nil && r.URL.String() != r.InitialURL.String() {
		from = "(redirected from '" + r.InitialURL.String() + "') "
	}
	return "Access to fetch at '" + r.URL.String() + "' " + from + "from origin '" + r.Origin +
		"' has been blocked by CORS policy: " + reason
}
