import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";

/** How close to the bottom (px) still counts as reading the newest step. */
const nearBottomPx = 120;

function atBottom(): boolean {
  return window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - nearBottomPx;
}

/**
 * While `live`, keeps the page scrolled to its newest content whenever `growth` changes, unless
 * the reader scrolled up to read something (then it waits until they come back down, or press
 * the button `jump` serves). `following` says which is the case.
 */
export function useFollowNewest(live: boolean, growth: unknown): { following: boolean; jump: () => void } {
  const following = useRef(true);
  const [shownFollowing, setShownFollowing] = useState(true);
  useEffect(() => {
    if (!live) return;
    const scrolled = () => {
      following.current = atBottom();
      setShownFollowing(following.current);
    };
    window.addEventListener("scroll", scrolled, { passive: true });
    return () => window.removeEventListener("scroll", scrolled);
  }, [live]);
  useLayoutEffect(() => {
    if (live && following.current) window.scrollTo({ top: document.documentElement.scrollHeight });
  }, [live, growth]);
  const jump = useCallback(() => {
    following.current = true;
    setShownFollowing(true);
    window.scrollTo({ top: document.documentElement.scrollHeight, behavior: "smooth" });
  }, []);
  return { following: shownFollowing, jump };
}
