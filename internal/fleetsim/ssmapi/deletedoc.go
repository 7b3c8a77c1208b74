package ssmapi

// DeleteDocument removes a document and all its versions, as SSM does
// (ecswin never calls it; tests use it to replace a document behind
// ecswin's back, as someone with ssm:DeleteDocument could).

type deleteDocumentInput struct {
	Name string `json:"Name"`
}

func (a *API) deleteDocument(in *deleteDocumentInput) (any, error) {
	d, err := a.findDocument(in.Name)
	if err != nil {
		return nil, err
	}
	delete(a.docs, d.name)
	return struct{}{}, nil
}
