package multimodal.gateway.auth;

import jakarta.enterprise.context.RequestScoped;

/** The authenticated caller of the current REST request, set by the API key filter. */
@RequestScoped
public class CurrentCaller {
  private Caller caller;

  public void set(Caller caller) {
    this.caller = caller;
  }

  /** The caller; only /v1 resources (which the filter guards) may ask. */
  public Caller get() {
    if (caller == null) {
      throw new IllegalStateException("no authenticated caller on this request");
    }
    return caller;
  }

  public String tenant() {
    return get().tenant();
  }
}
