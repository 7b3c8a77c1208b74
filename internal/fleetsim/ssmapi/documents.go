package ssmapi

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

// document is an SSM document and its versions.
type document struct {
	name       string
	owner      string
	docType    string
	format     string
	targetType string
	versions   []*docVersion // versions[k] is version k+1
	defaultVer int
	tags       map[string]string // see tags.go
}

type docVersion struct {
	number      int
	versionName string
	content     string
	hash        string
	created     time.Time
	parsed      *docContent
}

// docContent is the part of a command document the simulator reads.
type docContent struct {
	SchemaVersion string              `json:"schemaVersion"`
	Description   string              `json:"description"`
	Parameters    map[string]docParam `json:"parameters"`
	MainSteps     []docStep           `json:"mainSteps"`
	RuntimeConfig map[string]docStep  `json:"runtimeConfig"`
}

type docParam struct {
	Type           string          `json:"type"`
	Description    string          `json:"description"`
	Default        json.RawMessage `json:"default"`
	AllowedValues  []string        `json:"allowedValues"`
	AllowedPattern string          `json:"allowedPattern"`
	// pattern is AllowedPattern compiled once, when the document is stored.
	pattern *regexp.Regexp
}

type docStep struct {
	Action       string              `json:"action"`
	Name         string              `json:"name"`
	Precondition map[string][]string `json:"precondition"`
	Inputs       struct {
		TimeoutSeconds json.RawMessage `json:"timeoutSeconds"`
		RunCommand     json.RawMessage `json:"runCommand"`
	} `json:"inputs"`
}

// defaultValue is the parameter's default as SSM passes it (a string).
func (p docParam) defaultValue() (string, bool) {
	if len(p.Default) == 0 {
		return "", false
	}
	var s string
	if json.Unmarshal(p.Default, &s) == nil {
		return s, true
	}
	return strings.Trim(string(p.Default), `"`), true
}

func (v *docVersion) label() string { return strconv.Itoa(v.number) }

func (d *document) latest() *docVersion { return d.versions[len(d.versions)-1] }

// SSM document error codes.
const (
	CodeInvalidDocument          = "InvalidDocument"
	CodeInvalidDocumentContent   = "InvalidDocumentContent"
	CodeInvalidDocumentVersion   = "InvalidDocumentVersion"
	CodeDocumentAlreadyExists    = "DocumentAlreadyExists"
	CodeDuplicateDocumentContent = "DuplicateDocumentContent"
	CodeInvalidDocumentSchema    = "InvalidDocumentSchemaVersion"
)

func parseContent(content, format string) (*docContent, error) {
	if strings.TrimSpace(content) == "" {
		return nil, wire.ClientErr(CodeInvalidDocumentContent, "Content can not be empty.")
	}
	data := []byte(content)
	if format == "YAML" {
		var err error
		if data, err = yaml.YAMLToJSON(data); err != nil {
			return nil, wire.ClientErr(CodeInvalidDocumentContent, "Content is not valid YAML: %v", err)
		}
	}
	var d docContent
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, wire.ClientErr(CodeInvalidDocumentContent, "Content is not valid %s: %v", format, err)
	}
	if d.SchemaVersion == "" {
		return nil, wire.ClientErr(CodeInvalidDocumentContent, "schemaVersion is required.")
	}
	if d.SchemaVersion != "1.2" && d.SchemaVersion != "2.0" && d.SchemaVersion != "2.2" {
		return nil, wire.ClientErr(CodeInvalidDocumentSchema, "Unsupported schemaVersion %s for Command documents.", d.SchemaVersion)
	}
	if len(d.MainSteps) == 0 && len(d.RuntimeConfig) == 0 {
		return nil, wire.ClientErr(CodeInvalidDocumentContent, "A Command document needs mainSteps or runtimeConfig.")
	}
	for name, p := range d.Parameters {
		if p.AllowedPattern != "" {
			re, err := regexp.Compile(p.AllowedPattern)
			if err != nil {
				return nil, wire.ClientErr(CodeInvalidDocumentContent, "Parameter %s has an invalid allowedPattern.", name)
			}
			p.pattern = re
			d.Parameters[name] = p
		}
	}
	return &d, nil
}

func hashOf(content string) string {
	sum := sha256.Sum256([]byte(content))
	return hex.EncodeToString(sum[:])
}

// documentFormat resolves a document's format; TEXT is for documents
// that are not Command documents, which the simulator does not serve.
func documentFormat(f, code string) (string, error) {
	switch f {
	case "", "JSON":
		return "JSON", nil
	case "YAML":
		return "YAML", nil
	}
	return "", wire.ClientErr(code, "A Command document is JSON or YAML, not %s.", f)
}

func (a *API) findDocument(ref string) (*document, error) {
	name := documentNameOf(ref)
	d := a.docs[name]
	if d == nil {
		return nil, wire.ClientErr(CodeInvalidDocument, "Document with name %s does not exist.", name)
	}
	return d, nil
}

// version resolves "", "$DEFAULT", "$LATEST" or a number.
func (d *document) version(v string) (*docVersion, error) {
	switch v {
	case "", "$DEFAULT":
		return d.versions[d.defaultVer-1], nil
	case "$LATEST":
		return d.latest(), nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > len(d.versions) {
		return nil, wire.ClientErr(CodeInvalidDocumentVersion, "Document version %s is not valid for document %s.", v, d.name)
	}
	return d.versions[n-1], nil
}

func (a *API) createDocument(in *createDocumentInput) (any, error) {
	if a.docs[in.Name] != nil {
		return nil, wire.ClientErr(CodeDocumentAlreadyExists, "Document with same name %s already exists", in.Name)
	}
	docType := in.DocumentType
	if docType == "" {
		docType = "Command"
	}
	if docType != "Command" {
		return nil, wire.ClientErr(CodeInvalidDocumentContent, "The simulator serves Command documents only, not %s.", docType)
	}
	format, err := documentFormat(in.DocumentFormat, CodeInvalidDocumentContent)
	if err != nil {
		return nil, err
	}
	parsed, err := parseContent(in.Content, format)
	if err != nil {
		return nil, err
	}
	tags, err := checkTags(in.Tags)
	if err != nil {
		return nil, err
	}
	d := &document{name: in.Name, owner: a.Fleet.AccountID, docType: docType, format: format, targetType: in.TargetType, defaultVer: 1, tags: tags}
	d.versions = []*docVersion{{number: 1, versionName: in.VersionName, content: in.Content, hash: hashOf(in.Content), created: a.Now(), parsed: parsed}}
	a.docs[in.Name] = d
	return documentDescriptionOutput{DocumentDescription: describe(d, d.latest())}, nil
}

func (a *API) updateDocument(in *updateDocumentInput) (any, error) {
	d, err := a.findDocument(in.Name)
	if err != nil {
		return nil, err
	}
	if d.owner != a.Fleet.AccountID {
		return nil, wire.ClientErr("InvalidDocumentOperation", "Document %s is owned by %s; only its owner can update it.", d.name, d.owner)
	}
	if in.DocumentVersion != "" && in.DocumentVersion != "$LATEST" && in.DocumentVersion != d.latest().label() {
		return nil, wire.ClientErr(CodeInvalidDocumentVersion, "You can only update the latest version of a document (%s).", d.latest().label())
	}
	format := d.format
	if in.DocumentFormat != "" {
		if format, err = documentFormat(in.DocumentFormat, "InvalidDocumentOperation"); err != nil {
			return nil, err
		}
	}
	if in.Content == d.latest().content {
		return nil, wire.ClientErr(CodeDuplicateDocumentContent, "The content of the association document matches another document. Change the content of the document and try again.")
	}
	parsed, err := parseContent(in.Content, format)
	if err != nil {
		return nil, err
	}
	v := &docVersion{number: len(d.versions) + 1, versionName: in.VersionName, content: in.Content, hash: hashOf(in.Content), created: a.Now(), parsed: parsed}
	d.versions = append(d.versions, v)
	d.format = format
	return documentDescriptionOutput{DocumentDescription: describe(d, v)}, nil
}

func (a *API) updateDocumentDefaultVersion(in *updateDefaultVersionInput) (any, error) {
	d, err := a.findDocument(in.Name)
	if err != nil {
		return nil, err
	}
	if d.owner != a.Fleet.AccountID {
		return nil, wire.ClientErr(CodeInvalidDocument, "Document %s is owned by %s; only its owner can change its default version.", d.name, d.owner)
	}
	v, err := d.version(in.DocumentVersion)
	if err != nil {
		return nil, err
	}
	d.defaultVer = v.number
	return updateDefaultVersionOutput{Description: defaultVersionDescriptionJSON{Name: d.name, DefaultVersion: v.label(), DefaultVersionName: v.versionName}}, nil
}

// findVersion resolves a document and one of its versions.
func (a *API) findVersion(name, version string) (*document, *docVersion, error) {
	d, err := a.findDocument(name)
	if err != nil {
		return nil, nil, err
	}
	v, err := d.version(version)
	return d, v, err
}

func (a *API) describeDocument(in *describeDocumentInput) (any, error) {
	d, v, err := a.findVersion(in.Name, in.DocumentVersion)
	if err != nil {
		return nil, err
	}
	return describeDocumentOutput{Document: describe(d, v)}, nil
}

func (a *API) getDocument(in *getDocumentInput) (any, error) {
	d, v, err := a.findVersion(in.Name, in.DocumentVersion)
	if err != nil {
		return nil, err
	}
	content := v.content
	format := d.format
	if in.DocumentFormat == "YAML" && format == "JSON" {
		y, err := yaml.JSONToYAML([]byte(content))
		if err != nil {
			return nil, fmt.Errorf("converting document to YAML: %w", err)
		}
		content, format = string(y), "YAML"
	}
	return getDocumentOutput{
		Name: d.name, CreatedDate: wire.EpochOf(v.created), DocumentVersion: v.label(), VersionName: v.versionName,
		Status: "Active", Content: content, DocumentType: d.docType, DocumentFormat: format,
	}, nil
}

func describe(d *document, v *docVersion) documentDescriptionJSON {
	out := documentDescriptionJSON{
		Name: d.name, Hash: v.hash, HashType: "Sha256", Owner: d.owner, CreatedDate: wire.EpochOf(v.created),
		Status: "Active", DocumentVersion: v.label(), VersionName: v.versionName, Description: v.parsed.Description,
		Parameters: []documentParameterJSON{}, PlatformTypes: platforms(v.parsed), DocumentType: d.docType,
		SchemaVersion: v.parsed.SchemaVersion, LatestVersion: d.latest().label(), DefaultVersion: strconv.Itoa(d.defaultVer),
		DocumentFormat: d.format, TargetType: d.targetType,
	}
	for _, n := range slices.Sorted(maps.Keys(v.parsed.Parameters)) {
		p := v.parsed.Parameters[n]
		def, _ := p.defaultValue()
		out.Parameters = append(out.Parameters, documentParameterJSON{Name: n, Type: p.Type, Description: p.Description, DefaultValue: def})
	}
	return out
}

func platforms(d *docContent) []string {
	set := map[string]bool{}
	for _, s := range d.steps() {
		switch s.Action {
		case "aws:runPowerShellScript":
			set["Windows"] = true
		case "aws:runShellScript":
			set["Linux"], set["MacOS"] = true, true
		default:
			set["Windows"], set["Linux"], set["MacOS"] = true, true, true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// steps lists the document's plugins in order (schema 1.2 keeps them in
// runtimeConfig, keyed by action).
func (d *docContent) steps() []docStep {
	if len(d.MainSteps) > 0 {
		return d.MainSteps
	}
	names := slices.Sorted(maps.Keys(d.RuntimeConfig))
	out := make([]docStep, 0, len(names))
	for _, n := range names {
		s := d.RuntimeConfig[n]
		s.Action, s.Name = n, n
		out = append(out, s)
	}
	return out
}
