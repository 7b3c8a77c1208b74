package ssmdoc

import (
	"regexp"
	"strings"
	"testing"

	"github.com/ecswin/ecswin/internal/bootstrap/pwshparse"
)

// placeholder is SSM's {{ name }} parameter reference.
var placeholder = regexp.MustCompile(`\{\{\s*(\w+)\s*\}\}`)

// render is the script as SSM runs it: the release's hash written in by
// Content, then every {{ name }} replaced by the parameter's value (or
// default), after SSM's own checks.
func render(t *testing.T, params map[string][]string) string {
	t.Helper()
	if _, err := HostArgs(params); err != nil {
		t.Fatalf("parameters SSM would refuse: %v", err)
	}
	doc, err := Content(validSHA)
	if err != nil {
		t.Fatal(err)
	}
	d, err := parseDocument(doc)
	if err != nil {
		t.Fatal(err)
	}
	script := strings.Join(d.MainSteps[0].Inputs.RunCommand, "\n")
	if strings.Contains(script, binaryHashPlaceholder) {
		t.Fatal("the hash placeholder survived Content")
	}
	return placeholder.ReplaceAllStringFunc(script, func(m string) string {
		name := placeholder.FindStringSubmatch(m)[1]
		v, err := parsed.value(params, name)
		if err != nil {
			t.Fatal(err)
		}
		return v
	})
}

// TestScriptParses: the document's script, after SSM's parameter
// substitution with representative values (every character each pattern
// admits that could trouble a parser), is valid Windows PowerShell 5.1.
func TestScriptParses(t *testing.T) {
	sets := map[string]map[string][]string{
		"defaults, https": {ParamSource: {"https://example.com/releases/v1/route-bootstrap.exe"}},
		"s3, every flag": {ParamSource: {"s3://my-bucket.example/tools/route-bootstrap.exe"},
			ParamCheck: {"true"}, ParamRepairProxy: {"true"}, ParamExecutionTimeout: {"3600"}},
		"odd but allowed values": {
			ParamSource:           {"https://b.s3.amazonaws.com:8443/a%2Fb/rb.exe?X-Amz-Credential=AKIA%2F20260101&X-Amz-Signature=ab12~x+y=z"},
			ParamAdapterPattern:   {"Hyper-V (nat) #2 *?.x_y-z"},
			ParamDestinations:     {"169.254.170.2/32,169.254.169.254/32,10.0.0.0/8"},
			ParamExecutionTimeout: {"10"},
		},
	}
	texts := map[string]string{}
	for name, params := range sets {
		texts["SSM document ("+name+")"] = render(t, params)
	}
	pwshparse.Require(t, texts)
}
