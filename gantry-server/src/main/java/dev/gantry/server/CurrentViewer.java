package dev.gantry.server;

/**
 * Whether the browser whose request is being handled is signed in, for the top bar of the
 * page it gets. {@link dev.gantry.core.web.Layout#page} has no request to ask, so the server
 * notes it before each request and forgets it after; unknown counts as signed out.
 */
final class CurrentViewer {
  private final ThreadLocal<Boolean> signedIn = new ThreadLocal<>();

  void enter(boolean isSignedIn) {
    signedIn.set(isSignedIn);
  }

  void leave() {
    signedIn.remove();
  }

  boolean signedIn() {
    return Boolean.TRUE.equals(signedIn.get());
  }
}
