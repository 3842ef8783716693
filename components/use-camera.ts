"use client";

import { useEffect, useRef, useState } from "react";

import { CAMERA_CONSTRAINTS, CAPTURE_JPEG_QUALITY, cameraSupport, classifyCameraError, type CameraProblem } from "@/lib/client/camera";

export type CameraState =
  | { name: "closed" }
  | { name: "starting" }
  | { name: "live" }
  | { name: "captured"; file: File; url: string }
  | { name: "error"; problem: CameraProblem };

function stopTracks(stream: MediaStream | null) {
  stream?.getTracks().forEach((track) => track.stop());
}

/**
 * The camera panel's logic: opening (the modal dialog with getUserMedia, or the capture="user" file
 * input where getUserMedia cannot be used on a phone), the stream, capturing a mirrored JPEG, and
 * turning the camera off on every way out. The component only renders what `state` says.
 */
export function useCamera(onCapture: (file: File) => void) {
  const [state, setState] = useState<CameraState>({ name: "closed" });
  const dialogRef = useRef<HTMLDialogElement>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);
  const fallbackRef = useRef<HTMLInputElement>(null);
  const captureRef = useRef<HTMLButtonElement>(null);
  const acceptRef = useRef<HTMLButtonElement>(null);
  const streamRef = useRef<MediaStream | null>(null);
  // Bumped on every open and close, so a getUserMedia that resolves after Cancel is thrown away.
  const sessionRef = useRef(0);

  const stopStream = () => {
    stopTracks(streamRef.current);
    streamRef.current = null;
    if (videoRef.current) videoRef.current.srcObject = null;
  };

  useEffect(() => {
    const stream = streamRef;
    return () => stopTracks(stream.current); // leaving the page turns the camera off
  }, []);

  // Keep keyboard focus on the next thing to do as the panel changes.
  useEffect(() => {
    if (state.name === "live") captureRef.current?.focus();
    if (state.name === "captured") acceptRef.current?.focus();
  }, [state.name]);

  // The object URL of a captured photo lives as long as that state.
  const capturedUrl = state.name === "captured" ? state.url : undefined;
  useEffect(() => (capturedUrl ? () => URL.revokeObjectURL(capturedUrl) : undefined), [capturedUrl]);

  async function startCamera() {
    const session = ++sessionRef.current;
    stopStream();
    setState({ name: "starting" });
    try {
      const stream = await navigator.mediaDevices.getUserMedia(CAMERA_CONSTRAINTS);
      if (session !== sessionRef.current) {
        stopTracks(stream);
        return;
      }
      streamRef.current = stream;
      if (videoRef.current) videoRef.current.srcObject = stream; // autoplay; onPlaying makes it "live"
    } catch (caught) {
      if (session === sessionRef.current) setState({ name: "error", problem: classifyCameraError(caught) });
    }
  }

  function open() {
    const support = cameraSupport({
      isSecureContext: window.isSecureContext,
      hasGetUserMedia: typeof navigator.mediaDevices?.getUserMedia === "function",
    });
    if (support !== "ok" && window.matchMedia("(pointer: coarse)").matches) {
      fallbackRef.current?.click();
      return;
    }
    dialogRef.current?.showModal();
    if (support === "ok") void startCamera();
    else setState({ name: "error", problem: support });
  }

  function capture() {
    const video = videoRef.current;
    if (!video || state.name !== "live" || video.videoWidth === 0) return;
    const canvas = document.createElement("canvas");
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const context = canvas.getContext("2d");
    if (!context) return;
    // The preview is mirrored, as people expect of a front camera; the photo keeps what they saw.
    context.translate(canvas.width, 0);
    context.scale(-1, 1);
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const session = sessionRef.current;
    canvas.toBlob(
      (blob) => {
        if (session !== sessionRef.current) return; // closed while encoding
        if (!blob) {
          setState({ name: "error", problem: "failed" });
          return;
        }
        const file = new File([blob], "photo.jpg", { type: "image/jpeg" });
        setState({ name: "captured", file, url: URL.createObjectURL(blob) });
      },
      "image/jpeg",
      CAPTURE_JPEG_QUALITY,
    );
  }

  function retake() {
    setState({ name: "live" }); // the stream kept running under the still picture
  }

  function acceptPhoto() {
    if (state.name !== "captured") return;
    const { file } = state;
    closePanel();
    onCapture(file);
  }

  // The camera goes off in the same task as the click or the Escape key: the dialog's close event
  // comes a task later, and until then the camera light would stay on.
  function turnCameraOff() {
    sessionRef.current++;
    stopStream();
  }

  function closePanel() {
    turnCameraOff();
    dialogRef.current?.close();
  }

  // Every way out (Cancel, Escape, "Use this photo") ends here.
  function onClose() {
    turnCameraOff();
    setState({ name: "closed" });
    openerRef.current?.focus();
  }

  // The video element reports that frames arrive: the starting camera is live.
  function onPlaying() {
    setState((current) => (current.name === "starting" ? { name: "live" } : current));
  }

  return {
    state,
    showVideo: state.name === "starting" || state.name === "live",
    refs: { dialogRef, videoRef, openerRef, fallbackRef, captureRef, acceptRef },
    actions: { open, startCamera, capture, retake, acceptPhoto, turnCameraOff, closePanel, onClose, onPlaying },
  };
}
