// placeholder until the JPEG decoder lands
