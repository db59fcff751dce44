package dev.gantry.ci.git;

/**
 * Which pushed refs are patches: {@code refs/heads/review} and {@code refs/heads/review/<name>}.
 *
 * <pre>{@code
 * ReviewRefs.branchOf("refs/heads/review/login"); // "review/login"
 * }</pre>
 */
public final class ReviewRefs {
  private ReviewRefs() {}

  public static boolean isReviewBranch(String branch) {
    return branch.equals("review") || branch.startsWith("review/") && branch.length() > 7 && !branch.contains("..");
  }

  /** The branch name of a review ref, or null when the ref is not one. */
  public static String branchOf(String ref) {
    if (ref == null || !ref.startsWith("refs/heads/")) {
      return null;
    }
    String b = ref.substring("refs/heads/".length());
    return isReviewBranch(b) ? b : null;
  }
}
