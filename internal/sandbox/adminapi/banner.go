package adminapi

import (
	"fmt"
	"net/http"
	"strings"
)

// defaultBanner is printed by Connect-ExchangeOnline -ShowBanner.
const defaultBanner = `----------------------------------------------------------------------------------------
You are connected to the exo sandbox tenant, a local simulator of the Exchange Online
admin API. Nothing you do here reaches Microsoft 365.
----------------------------------------------------------------------------------------`

// serveBanner answers EXOBanner('AutogenSession') (REST) and
// EXOBanner('RPSSession'); the module prints moduleBannerContent.
func (s *Server) serveBanner(w http.ResponseWriter, r *http.Request, rt route) {
	if !strings.EqualFold(rt.key, "AutogenSession") && !strings.EqualFold(rt.key, "RPSSession") {
		writeProtocolError(w, r, http.StatusNotFound, fmt.Sprintf("Resource not found for the segment '%s'.", lastSegment(r.URL.Path)))
		return
	}
	text := s.cfg.Banner
	if text == "" {
		text = defaultBanner
	}
	writeJSON(w, r, http.StatusOK, struct {
		Context string `json:"@odata.context"`
		Content string `json:"moduleBannerContent"`
	}{"https://" + r.Host + rt.base() + "/$metadata#EXOBanner/$entity", text})
}

// serveBasicInfo answers the liveness probe BasicInfo('AdminApiState'),
// which the module expects to report Running.
func (s *Server) serveBasicInfo(w http.ResponseWriter, r *http.Request, rt route) {
	if !strings.EqualFold(rt.key, "AdminApiState") {
		writeProtocolError(w, r, http.StatusNotFound, fmt.Sprintf("Resource not found for the segment '%s'.", lastSegment(r.URL.Path)))
		return
	}
	writeJSON(w, r, http.StatusOK, struct {
		Context string `json:"@odata.context"`
		Name    string `json:"PropertyName"`
		Value   string `json:"PropertyValue"`
	}{"https://" + r.Host + rt.base() + "/$metadata#BasicInfo/$entity", "AdminApiState", "Running"})
}
